"""Issue 8, error pages: 400, 403, 404, 500 and the refused form (CSRF), with DEBUG off, each in
Russian (the default), Kazakh and English, in the portal's layout, with a way back; the 404 an
employer gets on an authority's page says nothing of whether the object exists."""
from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_for_error_tests")]

TITLES = {
    400: {"ru": "Некорректный запрос", "kk": "Қате сұрау", "en": "Bad request"},
    403: {"ru": "Доступ запрещён", "kk": "Қолжетімділік жоқ", "en": "Access denied"},
    404: {"ru": "Страница не найдена", "kk": "Бет табылмады", "en": "Page not found"},
    500: {"ru": "Ошибка сервера", "kk": "Сервер қатесі", "en": "Server error"},
    "csrf": {"ru": "Форма не принята", "kk": "Нысан қабылданбады", "en": "The form was not accepted"},
}
BACK = {"dashboard": {"ru": "Вернуться на рабочий стол", "kk": "Жұмыс үстеліне оралу", "en": "Back to the dashboard"},
        "home": {"ru": "На главную страницу", "kk": "Басты бетке өту", "en": "Go to the home page"}}
LANGS = ["ru", "kk", "en"]


def client_for(cast, user, lang, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    if lang != "ru":  # Russian is the default, with no choice made
        client.cookies["qp_language"] = lang
    return client


def assert_error_page(response, status, title, back):
    html = response.content.decode()
    assert response.status_code == status
    assert "qp-navbar" in html and 'data-testid="error-page"' in html  # the portal's layout
    assert "<h1" in html and title in html
    assert back in html
    for debug_text in ("Traceback", "Django tried", "URLconf", "CSRF verification failed", "DEBUG = True"):
        assert debug_text not in html
    return html


@pytest.mark.parametrize("lang", LANGS)
def test_an_employer_on_an_authority_page_gets_the_translated_404_with_the_way_to_the_dashboard(cast, settings,
                                                                                                  lang):
    settings.DEBUG = False
    html = assert_error_page(client_for(cast, cast.employer, lang).get("/commissions/applications/1/"), 404,
                             TITLES[404][lang], BACK["dashboard"][lang])
    assert 'href="/dashboard/"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_gets_the_translated_403(cast, settings, lang):
    settings.DEBUG = False
    html = assert_error_page(client_for(cast, cast.employer, lang).get("/test-only/forbidden/"), 403,
                             TITLES[403][lang], BACK["dashboard"][lang])
    assert "a forced refusal" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_request_gets_the_translated_400(cast, settings, lang):
    settings.DEBUG = False
    html = assert_error_page(client_for(cast, None, lang).get("/", HTTP_HOST="evil.example.com"), 400,
                             TITLES[400][lang], BACK["home"][lang])
    assert 'href="/"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_server_error_gets_the_translated_500(cast, settings, lang):
    settings.DEBUG = False
    html = assert_error_page(client_for(cast, cast.employer, lang).get("/test-only/fail/"), 500,
                             TITLES[500][lang], BACK["home"][lang])
    assert 'href="/"' in html and "forced failure" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_form_refused_by_the_csrf_check_gets_the_translated_page(cast, settings, lang):
    settings.DEBUG = False
    client = client_for(cast, cast.employer, lang, enforce_csrf_checks=True)
    html = assert_error_page(client.post("/applications/new/", {}), 403, TITLES["csrf"][lang], BACK["dashboard"][lang])
    assert 'href="/dashboard/"' in html
