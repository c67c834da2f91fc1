"""Issue 9, headers and the debug page: the portal's own error pages (also under DEBUG), no
credentials on Django's technical page, `Cache-Control: no-store` on private pages."""
from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ERROR_URLS = pytest.mark.urls("tests.core.urls_for_error_tests")


def main_of(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def assert_portal_page(response, status: int) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert 'class="navbar' in html and "qp-navbar" in html  # the portal's header
    assert f'data-testid="error-page" data-status="{status}"' in html
    for debug_text in ("Page not found (404)", "URLconf", "Traceback", "DEBUG = True", "Django tried"):
        assert debug_text not in html
    return html


@pytest.mark.parametrize("debug", [False, True])
def test_an_employer_opening_an_authority_page_gets_the_portal_404_even_with_debug(cast, settings, debug):
    settings.DEBUG = debug
    html = assert_portal_page(cast.client(cast.employer).get("/commissions/"), 404)
    assert 'href="/dashboard/"' in html  # the way back
    assert "Not available for your role" not in html  # the view's reason stays on the server


def test_the_404_reads_the_same_for_a_missing_and_for_another_tenants_object(cast, settings):
    from applications import services

    settings.DEBUG = True
    app = services.application_start(actor=cast.employer2, organization=cast.org2, campaign=cast.next_campaign,
                                     region=cast.atyrau)
    client = cast.client(cast.employer)
    others = client.get(f"/applications/{app.pk}/")
    missing = client.get(f"/applications/{app.pk + 1000}/")
    assert_portal_page(others, 404)
    assert_portal_page(missing, 404)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", main_of(others)) == strip.sub("", main_of(missing))


def test_an_unknown_address_gets_the_portal_404_in_russian_by_default(db):
    html = assert_portal_page(Client().get("/no-such-page/"), 404)
    assert "Страница не найдена" in html and 'href="/"' in html


@ERROR_URLS
def test_a_server_error_gets_the_standalone_500_page(db):
    response = Client(raise_request_exception=False).get("/test-only/fail/")
    html = response.content.decode()
    assert response.status_code == 500 and 'data-status="500"' in html and "qp-navbar" in html
    assert "Ошибка сервера" in html and 'href="/"' in html and "forced failure" not in html


@ERROR_URLS
def test_the_debug_page_hides_every_setting_and_variable_that_carries_credentials(db, settings):
    settings.DEBUG = True
    settings.DATABASE_URL = "postgres://quota:s3cret-db@db.internal:5432/quota"
    settings.REDIS_URL = "redis://:s3cret-redis@cache.internal:6379/0"
    settings.CELERY_BROKER_URL = "redis://:s3cret-broker@cache.internal:6379/0"
    settings.SENTRY_DSN = "https://s3cret-dsn@sentry.internal/1"
    settings.ARCHIVE_ENDPOINT = "sftp://archive:s3cret-other@files.internal/"  # any name: caught by its value
    # runserver copies the process environment into request.META
    response = Client(raise_request_exception=False).get(
        "/test-only/fail/", DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
    html = response.content.decode()
    assert response.status_code == 500 and "forced failure" in html  # Django's technical page
    assert "s3cret" not in html
    assert "REDIS_URL" in html and "CELERY_BROKER_URL" in html  # listed, their values hidden


@ERROR_URLS
def test_the_debug_page_hides_credentials_held_in_the_frames_variables(db, settings):
    """Found by the review under `make dev`: with the database unreachable, the technical page
    listed the password 16 times, in the variables of Django's and psycopg's connection frames."""
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/test-only/fail-connecting/")
    html = response.content.decode()
    assert response.status_code == 500 and "forced connection failure" in html and "conn_params" in html
    for secret in ("s3cret-frame", "s3cret-conninfo", "s3cret-url"):
        assert secret not in html, secret
    assert "db.internal" in html  # what is not a secret is still shown, to debug with


def test_a_form_sent_without_a_csrf_token_gets_the_translated_403_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.cookies["qp_language"] = "kk"
    response = client.post("/accounts/login/", {"username": cast.employer.email, "password": "x"})
    html = assert_portal_page(response, 403)
    assert 'data-testid="csrf-failure"' in html and "Нысан қабылданбады" in html
    assert "CSRF verification failed" not in html
    assert "_auth_user_id" not in client.session


def test_a_request_for_a_host_not_allowed_gets_the_portal_400_page(db):
    assert_portal_page(Client().get("/", HTTP_HOST="evil.example.com"), 400)


# --- Cache-Control --------------------------------------------------------------------------------

def test_private_pages_are_never_stored_by_a_cache(cast):
    for url in ("/dashboard/", "/inbox/", "/applications/"):
        response = cast.client(cast.employer).get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache", url


def test_public_pages_for_anonymous_visitors_carry_no_no_store(db):
    response = Client().get("/")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


@ERROR_URLS
def test_a_view_that_sets_its_own_cache_control_keeps_it(cast):
    response = cast.client(cast.employer).get("/test-only/cacheable/")
    assert response["Cache-Control"] == "public, max-age=60" and not response.has_header("Pragma")


def test_the_demo_runs_with_debug_off_unless_asked(tmp_path):
    """`make run` uses settings.local: DEBUG off unless DEBUG=true (`make dev`)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "from django.conf import settings as s; print(s.DEBUG, s.DEFAULT_EXCEPTION_REPORTER_FILTER)"
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    out = {}
    for debug in (None, "true"):
        env = {**base, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.local", "QP_VAR_DIR": str(tmp_path)}
        if debug:
            env["DEBUG"] = debug
        result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code], cwd=root,
                                capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        out[debug] = result.stdout.split()
    assert out[None][0] == "False" and out["true"][0] == "True"
    assert out[None][1] == "quota_portal.core.debug.PortalExceptionReporterFilter"
