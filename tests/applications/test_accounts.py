"""Employer accounts: sign-up with email confirmation, organization, members and invitations."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from quota_portal.core import accounts_services as services
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Invitation, Membership, Organization, Role, User
from quota_portal.core.validators import make_bin_iin
from tests.conftest import PASSWORD

NEW_PASSWORD = "Sapar-2026-kz!"


def signup(client, email="new@example.kz"):
    return client.post("/accounts/signup/", {"email": email, "full_name": "Новый Работодатель",
                                              "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_creates_an_inactive_account_until_the_email_is_confirmed(
        cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    # Post/Redirect/Get: the "sent" page is a GET that a reload cannot resubmit.
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    sent = client.get("/accounts/signup/sent/")
    assert sent.status_code == 200 and b"signup-sent" in sent.content and b"new@example.kz" in sent.content
    assert len(mail.outbox) == 1
    user = User.objects.get(email="new@example.kz")
    assert not user.is_active
    login = client.post("/accounts/login/", {"username": "new@example.kz", "password": NEW_PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    path = link_in(mail.outbox[-1])
    page = client.get(path, follow=True)
    assert page.status_code == 200 and b"confirm-account" in page.content  # opening it changes nothing
    user.refresh_from_db()
    assert not user.is_active
    response = client.post("/accounts/confirm/", {"password": NEW_PASSWORD}, follow=True)
    # The sign-up password activates the account and sends the person to log in; nobody is logged in.
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Faccounts%2Forganization%2Fnew%2F"
    assert "Your email is confirmed" in response.content.decode() and "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.is_active
    login = client.post("/accounts/login/?next=/accounts/organization/new/",
                        {"username": "new@example.kz", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == "/accounts/organization/new/"


def test_a_tampered_confirmation_link_is_refused(cast, client):
    user = services.user_signup(email="x@example.kz", full_name="X", password=NEW_PASSWORD)
    token = services.confirmation_token(user)
    response = client.get(f"/accounts/confirm/{token[:-2]}zz/", follow=True)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_signing_up_with_an_active_email_answers_as_for_a_new_one_and_tells_the_owner(
        cast, client, django_capture_on_commit_callbacks):
    password_before = User.objects.get(pk=cast.employer.pk).password
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email=cast.employer.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    (message,) = mail.outbox
    assert message.to == [cast.employer.email] and "/accounts/login/" in message.body  # in the owner's language
    assert "/accounts/password-reset/" in message.body and "/accounts/confirm/" not in message.body
    user = User.objects.get(pk=cast.employer.pk)
    assert user.password == password_before and user.full_name == cast.employer.full_name


def test_creating_an_organization_makes_the_user_its_owner(cast):
    user = User.objects.create_user(email="boss@example.kz", password=PASSWORD)
    c = cast.client(user)
    bin_iin = make_bin_iin("21014000078")
    response = c.post("/accounts/organization/new/", {"kind": "legal", "bin_iin": bin_iin, "name": "ТОО «Жаңа»",
                                                      "legal_address": "г. Астана", "region": cast.astana.pk})
    assert response.status_code == 302
    org = Organization.objects.get(bin_iin=bin_iin)
    assert Membership.objects.get(user=user, organization=org).role == Role.EMPLOYER_OWNER
    assert c.get("/applications/new/").status_code == 200


@pytest.mark.parametrize("bad", ["12345", "1234567890ab", "123456789012"])
def test_a_bad_bin_iin_is_refused_and_the_form_keeps_the_input(cast, bad):
    user = User.objects.create_user(email="boss@example.kz", password=PASSWORD)
    response = cast.client(user).post("/accounts/organization/new/", {
        "kind": "legal", "bin_iin": bad, "name": "ТОО «Жаңа»", "legal_address": "г. Астана", "region": cast.astana.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "BIN/IIN" in html and 'value="ТОО «Жаңа»"' in html
    assert not Organization.objects.filter(name="ТОО «Жаңа»").exists()
    assert not Membership.objects.filter(user=user).exists()


def test_an_already_registered_bin_is_refused(cast):
    user = User.objects.create_user(email="boss@example.kz", password=PASSWORD)
    with pytest.raises(DomainError) as exc:
        services.organization_create(actor=user, kind="legal", bin_iin=cast.org.bin_iin, name="X", legal_address="Y",
                                     region=cast.astana)
    assert exc.value.field == "bin_iin"


def test_the_owner_invites_a_new_person_who_joins_as_editor(cast, client, django_capture_on_commit_callbacks):
    owner = cast.client(cast.employer)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/accounts/members/", {"email": "Colleague@example.kz", "role": "employer_editor"})
    assert response.status_code == 302
    path = link_in(mail.outbox[-1])
    page = client.get(path, follow=True)
    assert page.redirect_chain == [("/accounts/invitation/", 302)] and page.status_code == 200
    response = client.post("/accounts/invitation/", {"full_name": "Коллега", "password1": NEW_PASSWORD,
                                                     "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session  # the link logs nobody in
    user = User.objects.get(email="colleague@example.kz")
    assert user.is_active
    assert Membership.objects.get(user=user).role == Role.EMPLOYER_EDITOR
    assert Invitation.objects.get(email="colleague@example.kz").accepted_at is not None
    assert client.get(path, follow=True).status_code == 400  # used once


def test_an_invitation_cannot_be_accepted_by_another_account(cast):
    inv = services.invitation_create(actor=cast.employer, organization=cast.org, email="someone@example.kz",
                                     role="employer_viewer")
    with pytest.raises(DomainError):
        services.invitation_accept(actor=cast.employer2, token=inv.link_token)
    assert not Membership.objects.filter(user=cast.employer2, organization=cast.org).exists()


def test_an_expired_invitation_is_refused(cast):
    import time_machine

    inv = services.invitation_create(actor=cast.employer, organization=cast.org, email="late@example.kz",
                                     role="employer_viewer")
    with time_machine.travel(inv.expires_at, tick=False), pytest.raises(DomainError) as exc:
        services.invitation_for_token(inv.link_token)
    assert exc.value.code == "expired"


def test_only_the_owner_manages_members(cast):
    for user in (cast.employer_editor, cast.employer_viewer, cast.akimat_officer, cast.outsider):
        assert cast.client(user).get("/accounts/members/").status_code == 404
    assert cast.client(None).get("/accounts/members/").status_code == 302
    viewer = Membership.objects.get(user=cast.employer_viewer)
    assert cast.client(cast.employer2).post(f"/accounts/members/{viewer.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=viewer.pk).exists()


def test_the_owner_changes_a_role_and_removes_a_member(cast):
    c = cast.client(cast.employer)
    viewer = Membership.objects.get(user=cast.employer_viewer)
    c.post(f"/accounts/members/{viewer.pk}/role/", {"role": "employer_editor"})
    assert Membership.objects.get(pk=viewer.pk).role == Role.EMPLOYER_EDITOR
    c.post(f"/accounts/members/{viewer.pk}/remove/")
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_the_last_owner_cannot_remove_or_demote_themself(cast):
    c = cast.client(cast.employer)
    own = Membership.objects.get(user=cast.employer, organization=cast.org)
    response = c.post(f"/accounts/members/{own.pk}/remove/", follow=True)
    assert "last owner" in response.content.decode()
    c.post(f"/accounts/members/{own.pk}/role/", {"role": "employer_viewer"})
    assert Membership.objects.get(pk=own.pk).role == Role.EMPLOYER_OWNER


def test_a_logged_in_person_accepts_an_invitation_sent_to_their_email(cast):
    person = User.objects.create_user(email="joiner@example.kz", password=PASSWORD)
    inv = services.invitation_create(actor=cast.employer, organization=cast.org, email="joiner@example.kz",
                                     role="employer_viewer")
    c = cast.client(person)
    assert c.get(f"/accounts/invitation/{inv.link_token}/", follow=True).status_code == 200
    response = c.post("/accounts/invitation/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert Membership.objects.get(user=person).role == Role.EMPLOYER_VIEWER
    assert c.get("/applications/").status_code == 200


def test_an_invited_address_with_an_account_is_sent_to_log_in(cast, client):
    inv = services.invitation_create(actor=cast.employer, organization=cast.org, email=cast.outsider.email,
                                     role="employer_editor")
    response = client.get(f"/accounts/invitation/{inv.link_token}/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/accounts/invitation/"


def test_html_in_an_organization_name_is_shown_inert(cast):
    user = User.objects.create_user(email="boss@example.kz", password=PASSWORD)
    c = cast.client(user)
    c.post("/accounts/organization/new/", {"kind": "legal", "bin_iin": make_bin_iin("21014000078"),
                                           "name": "<script>alert(1)</script>", "legal_address": "<b>x</b>",
                                           "region": cast.astana.pk})
    html = c.get("/dashboard/").content.decode() + c.get("/accounts/members/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_mailed_links_use_site_url_whatever_the_host_header(cast, client, settings,
                                                            django_capture_on_commit_callbacks):
    # Probe: `Host: 127.0.0.1:6666` used to put that port into the confirmation link.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.SITE_URL = "https://configured.example.kz"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {"email": "host@example.kz", "full_name": "Х", "password1": NEW_PASSWORD,
                                          "password2": NEW_PASSWORD}, HTTP_HOST="127.0.0.1:6666")
    assert "https://configured.example.kz/accounts/confirm/" in mail.outbox[-1].body
    assert "6666" not in mail.outbox[-1].body
    owner = cast.client(cast.employer)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post("/accounts/members/", {"email": "c2@example.kz", "role": "employer_viewer"},
                   HTTP_HOST="127.0.0.1:6666")
    assert "https://configured.example.kz/accounts/invitation/" in mail.outbox[-1].body
    assert "6666" not in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": cast.employer.email}, HTTP_HOST="127.0.0.1:6666")
    assert "https://configured.example.kz/accounts/reset/" in mail.outbox[-1].body
    assert "6666" not in mail.outbox[-1].body


def test_without_a_request_the_links_use_the_configured_site_url(cast, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://configured.example.kz"
    with django_capture_on_commit_callbacks(execute=True):
        services.user_signup(email="norequest@example.kz", full_name="X", password=NEW_PASSWORD)
    assert "https://configured.example.kz/accounts/confirm/" in mail.outbox[-1].body
