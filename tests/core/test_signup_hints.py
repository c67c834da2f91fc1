"""Sign-up and the organization form: the password rules in the reader's language before the first
failure, and autocomplete hints on every field a browser can fill."""
from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_password_rules_are_shown_in_the_readers_language(settings, lang):
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = c.get("/accounts/signup/").content.decode()
    with translation.override(lang):
        rules = str(password_validators_help_text_html())
    assert rules in html
    with translation.override("en"):
        english = str(password_validators_help_text_html())
    if lang != "en":
        assert rules != english  # translated, not the rules as first imported


def test_the_organization_form_has_autocomplete_hints(cast):
    c = Client()
    c.force_login(cast.employer)  # a member already; the form is the same for a new organization
    html = c.get("/accounts/organization/new/").content.decode()
    assert 'autocomplete="organization"' in html and 'autocomplete="street-address"' in html
