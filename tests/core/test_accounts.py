import re

from django.core import mail
from django.test import Client

from quota_portal.core.models import User
from tests.conftest import PASSWORD


def login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_a_user_logs_in_by_email_and_lands_on_the_dashboard(cast):
    client = Client()
    response = login(client, "OWNER@example.kz".lower(), PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert "Астана Құрылыс" in client.get("/dashboard/").content.decode()


def test_a_wrong_password_is_refused_with_a_message(cast):
    response = login(Client(), cast.employer.email, "nope")
    assert response.status_code == 200
    assert 'class="alert alert-block alert-danger"' in response.content.decode() or "alert-danger" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_five_failed_logins_lock_the_email_even_with_the_right_password(cast):
    client = Client()
    for _ in range(5):
        login(client, cast.employer.email, "wrong-password")
    response = login(client, cast.employer.email, PASSWORD)
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert client.get("/dashboard/").status_code == 302  # not logged in
    # another account from the same address is not locked
    assert login(Client(), cast.employer2.email, PASSWORD).status_code == 302


def test_logging_in_switches_the_interface_to_the_users_language(cast):
    cast.employer.language = "kk"
    cast.employer.save()
    client = Client()
    client.cookies["qp_language"] = "en"
    response = login(client, cast.employer.email, PASSWORD)
    assert response.cookies["qp_language"].value == "kk"
    assert '<html lang="kk">' in client.get("/dashboard/").content.decode()


def test_logout_ends_the_session(cast):
    client = Client()
    login(client, cast.employer.email, PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_a_password_is_reset_through_the_emailed_link(cast, settings):
    settings.SITE_URL = "https://quota.example.kz"
    client = Client()
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/password-reset/", {"email": cast.employer.email})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    assert message.to == [cast.employer.email]
    link = re.search(r"https://quota\.example\.kz(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "Fresh-pass-2026!", "new_password2": "Fresh-pass-2026!"})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert User.objects.get(pk=cast.employer.pk).check_password("Fresh-pass-2026!")
    assert client.get(link, follow=True).context["validlink"] is False  # a link works once


def test_a_reset_for_an_unknown_email_says_the_same_and_sends_nothing(db):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.kz"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_session_cookie_is_http_only_and_expires(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_an_anonymous_visitor_finds_the_employer_sign_up_from_the_home_and_login_pages(client, db):
    for url in ("/", "/accounts/login/"):
        assert 'href="/accounts/signup/"' in client.get(url).content.decode()
