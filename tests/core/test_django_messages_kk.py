"""Django's own messages on Kazakh pages are Kazakh, never the Russian fallback (default language)."""
import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, translation
from django.utils.timesince import timeuntil

RUSSIAN_FALLBACKS = ("Введите", "пароль", "Пароль", "месяц", "октября")


def _errors(func, *args) -> str:
    try:
        func(*args)
    except ValidationError as exc:
        return " ".join(exc.messages)
    raise AssertionError("no error")


def test_django_messages_are_kazakh_on_kazakh_pages(db):
    with translation.override("kk"):
        texts = [
            _errors(validate_email, "not-an-email"),
            _errors(validate_password, "12345"),
            timeuntil(dt.datetime(2027, 10, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 25, tzinfo=dt.UTC)),
            formats.date_format(dt.date(2027, 10, 1), "j E Y"),
        ]
    assert texts[0] == "Дұрыс электрондық пошта мекенжайын енгізіңіз."
    assert "тым қысқа" in texts[1] and "тек сандардан" in texts[1]
    assert texts[2].replace("\xa0", " ").startswith("10 ай")
    assert texts[3] == "1 қазан 2027"
    assert not [word for word in RUSSIAN_FALLBACKS if word in " ".join(texts)]


def test_russian_keeps_djangos_own_wording(db):
    with translation.override("ru"):
        assert _errors(validate_email, "x") == "Введите правильный адрес электронной почты."
        assert formats.date_format(dt.date(2027, 10, 1), "j E Y") == "1 октября 2027"
