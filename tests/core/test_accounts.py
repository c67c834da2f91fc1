import datetime as dt
import re

from django.core import mail
from django.test import Client

from quota_portal.core.models import User
from tests.conftest import PASSWORD


def login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_a_user_logs_in_by_email_and_lands_on_the_dashboard(cast):
    client = Client()
    response = login(client, cast.employer.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert "Астана Құрылыс" in client.get("/dashboard/").content.decode()


def test_the_email_is_not_case_sensitive_at_login(cast):
    client = Client()
    response = login(client, "  " + cast.employer.email.upper() + " ", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert int(client.session["_auth_user_id"]) == cast.employer.pk


def test_a_wrong_password_is_refused_with_a_message(cast):
    response = login(Client(), cast.employer.email, "nope")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="alert alert-block alert-danger"' in body or "alert-danger" in body
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


def test_five_failures_in_varied_capitalisation_lock_the_email_in_every_spelling(cast):
    email = cast.employer.email
    for spelling in (email, email.upper(), email.title(), email.capitalize()):
        assert login(Client(), spelling, "wrong-password").status_code == 200
    assert login(Client(), " " + email.upper(), "wrong-password").status_code == 429  # the fifth locks
    for spelling in (email, email.upper()):
        response = login(Client(), spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert 'data-testid="locked-out"' in response.content.decode()
        assert "_auth_user_id" not in Client().session


def test_the_lock_is_per_email_and_lifts_after_15_minutes(cast):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login(Client(), cast.employer.email, "wrong-password")
        assert login(Client(), cast.employer.email, PASSWORD).status_code == 429
        # other people behind the same (shared office) address still log in
        assert login(Client(), cast.employer2.email, PASSWORD).status_code == 302
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert login(Client(), cast.employer.email, PASSWORD).status_code == 302


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


def test_the_session_cookie_of_a_real_login_is_http_only_same_site_and_ends_with_the_browser(cast):
    response = login(Client(), cast.employer.email, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    header = cookie.OutputString().lower()
    assert "httponly" in header and "samesite=lax" in header and "path=/" in header
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert "secure" not in header.replace("samesite", "")  # plain http in tests; production: below


def test_an_anonymous_visitor_finds_the_employer_sign_up_from_the_home_and_login_pages(client, db):
    for url in ("/", "/accounts/login/"):
        assert 'href="/accounts/signup/"' in client.get(url).content.decode()
