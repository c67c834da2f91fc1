"""The interface is Russian whatever the browser's Accept-Language, unless the user picked a language
(the language cookie, or the account's setting)."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from quota_portal.core.models import User

pytestmark = pytest.mark.django_db


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "kk", "kk-KZ,kk;q=0.9,en;q=0.5"])
def test_a_browser_language_does_not_switch_the_interface(accept):
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200 and lang_of(response) == "ru"
    assert "Вход" in response.content.decode() or "Войти" in response.content.decode()


@pytest.mark.parametrize("picked", ["kk", "en"])
def test_the_language_the_user_picked_wins_over_the_browser(settings, picked):
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9" if picked == "kk" else "kk")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = picked
    assert lang_of(c.get("/accounts/login/")) == picked


def test_the_accounts_language_setting_wins_over_the_browser(cast):
    User.objects.filter(pk=cast.employer.pk).update(language="kk")
    c = cast.client(cast.employer)
    c.cookies.pop("qp_language", None)
    assert lang_of(c.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")) == "kk"
