"""Security settings: the Content-Security-Policy and the templates it allows, the password policy
through the forms that set a password, and the production headers."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quota_portal.core.models import User

from ..conftest import PASSWORD
from .test_commands import _manage

ROOT = Path(settings.BASE_DIR)
# PDF templates are rendered by WeasyPrint into files, never served to a browser: they keep <style>.
WEB_TEMPLATE_DIRS = [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
INLINE = [
    ("inline <script>", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("<style> block", re.compile(r"<style\b", re.I)),
    ('style="" attribute', re.compile(r"\sstyle\s*=", re.I)),
    ("on*= handler", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def web_templates():
    for directory in WEB_TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            if "pdf" not in path.relative_to(directory).parts:
                yield path


def test_web_templates_have_no_inline_script_style_or_handler():
    paths = list(web_templates())
    assert len(paths) > 100  # the walk reached the templates
    found = [f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}: {what}"
             for path in paths for text in [path.read_text()] for what, pattern in INLINE
             for m in pattern.finditer(text)]
    assert found == [], "\n".join(found)


def test_the_walk_would_catch_each_kind_of_inline_code():
    samples = ["<script>alert(1)</script>", "<style>p{}</style>", '<td style="width:1rem">',
               '<select onchange="x()">', '<a href="javascript:x()">']
    for sample, (what, pattern) in zip(samples, INLINE, strict=True):
        assert pattern.search(sample), what
    assert not any(p.search('<script src="/static/js/forms.js"></script>') for _w, p in INLINE)


def test_every_page_carries_the_content_security_policy(cast):
    response = cast.client(cast.akimat_officer).get("/dashboard/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    anonymous = Client().get(reverse("login"))
    assert anonymous["Content-Security-Policy"] == response["Content-Security-Policy"]


def test_production_sends_hsts_secure_cookies_and_the_policy():
    env = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz"}
    code = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, s.AXES_FAILURE_LIMIT)")
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True", "True", "5"], result.stderr


# The password policy (README, "Passwords"): 12 characters at least, not like the email, not common,
# not digits alone. Each rule is refused with a translated message naming it.
WEAK = [
    ("Short-pw-1", "Введённый пароль слишком короткий. Он должен состоять из как минимум 12 символов."),
    ("password1234", "Введённый пароль слишком широко распространён."),
    ("849302718465", "Введённый пароль состоит только из цифр."),
]


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_sign_up_refuses_a_weak_password_naming_the_rule(db, password, message):
    response = Client().post(reverse("accounts:signup"), {
        "email": "new.owner@example.kz", "full_name": "New Owner", "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new.owner@example.kz").exists()


def test_sign_up_refuses_a_password_like_the_email(db):
    response = Client().post(reverse("accounts:signup"), {
        "email": "kanat.sultanov@example.kz", "full_name": "K S",
        "password1": "kanat.sultanov", "password2": "kanat.sultanov"})
    assert "Введённый пароль слишком похож на" in response.content.decode()
    assert not User.objects.filter(email="kanat.sultanov@example.kz").exists()


def test_a_password_of_twelve_good_characters_is_taken(db):
    response = Client().post(reverse("accounts:signup"), {
        "email": "new.owner@example.kz", "full_name": "New Owner",
        "password1": "Steppe-Wind-42", "password2": "Steppe-Wind-42"})
    assert response.status_code == 302
    assert User.objects.filter(email="new.owner@example.kz").exists()


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_password_reset_refuses_a_weak_password_naming_the_rule(cast, password, message):
    user = cast.employer
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client = Client()
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    good = client.post(form_url, {"new_password1": "Steppe-Wind-42", "new_password2": "Steppe-Wind-42"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Steppe-Wind-42")
    assert mail.outbox == []


def test_the_kazakh_messages_name_the_rule_too(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = client.post(reverse("accounts:signup"), {
        "email": "new.owner@example.kz", "full_name": "New Owner", "password1": "Short-pw-1",
        "password2": "Short-pw-1"})
    page = response.content.decode()
    assert "Бұл құпиясөз тым қысқа: онда кемінде 12 таңба болуы керек." in page
    assert not User.objects.filter(email="new.owner@example.kz").exists()


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_password_change_refuses_a_weak_password_naming_the_rule(cast, password, message):
    client = cast.client(cast.employer)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.employer.refresh_from_db()
    assert cast.employer.check_password(PASSWORD)


def test_password_change_takes_a_good_password_and_keeps_the_session(cast):
    client = cast.client(cast.employer)
    page = client.get(reverse("password_change")).content.decode()
    assert "Сменить пароль" in page
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Steppe-Wind-42", "new_password2": "Steppe-Wind-42"})
    assert response.status_code == 302
    cast.employer.refresh_from_db()
    assert cast.employer.check_password("Steppe-Wind-42")
    assert client.get("/dashboard/").status_code == 200


def test_the_password_change_page_is_in_kazakh(cast):
    client = cast.client(cast.employer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    main = client.get(reverse("password_change")).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "Құпиясөзді өзгерту" in main
    assert not re.search(r"\b(Old|New) password\b", main), main
