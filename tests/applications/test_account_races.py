"""Issue 9 review: the same request many times at the same moment has exactly one effect.

Threads on the real database (transaction=True), each with its own connection; every request goes
through the whole stack, so a lost race shows as a 500 or as a second effect.
"""
from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from quota_portal.core import accounts_services as services
from quota_portal.core.models import Invitation, Membership, User
from quota_portal.core.scoping import system_scope

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Parallel-pass-2026!"


def at_once(n: int, work) -> list:
    """Run work(i) in n threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            with system_scope():
                barrier.wait()
                results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def client() -> Client:
    c = Client(raise_request_exception=False)
    c.cookies["qp_language"] = "en"
    return c


def test_ten_sign_ups_for_one_email_at_once_make_one_account_and_no_error(cast, settings):
    settings.RATE_LIMIT_PER_EMAIL = settings.RATE_LIMIT_PER_CLIENT = (100, 3600)
    statuses = at_once(10, lambda i: client().post("/accounts/signup/", {
        "email": "race@example.kz", "full_name": f"Racer {i}", "password1": PASSWORD, "password2": PASSWORD,
    }).status_code)
    assert statuses == [302] * 10
    assert User.objects.filter(email="race@example.kz").count() == 1
    assert not User.objects.get(email="race@example.kz").is_active
    assert len(mail.outbox) == 10 and {m.to[0] for m in mail.outbox} == {"race@example.kz"}


def test_five_confirmations_of_one_link_at_once_activate_once(cast):
    user = services.user_signup(email="once@example.kz", full_name="Once", password=PASSWORD)
    token = services.confirmation_token(user)
    outcomes = at_once(5, lambda i: services.user_confirm(token=token, current_password=PASSWORD))
    assert sum(isinstance(o, User) for o in outcomes) == 1
    assert all(isinstance(o, User) or getattr(o, "code", None) == "bad_token" for o in outcomes), outcomes
    assert User.objects.get(pk=user.pk).is_active


def test_five_confirmations_of_one_link_over_http_answer_once_and_never_500(cast):
    services.user_signup(email="tabs@example.kz", full_name="Tabs", password=PASSWORD)
    user = User.objects.get(email="tabs@example.kz")
    link = f"/accounts/confirm/{services.confirmation_token(user)}/"
    tabs = [client() for _ in range(5)]
    for tab in tabs:
        tab.get(link)  # the token goes into each tab's session
    statuses = at_once(5, lambda i: tabs[i].post("/accounts/confirm/", {"password": PASSWORD}).status_code)
    assert sorted(statuses) == [302, 400, 400, 400, 400]
    assert User.objects.get(pk=user.pk).is_active


def test_an_invitation_accepted_twice_at_once_by_a_new_user_makes_one_account_and_no_error(cast):
    inv = services.invitation_create(actor=cast.employer, organization=cast.org, email="joiner@example.kz",
                                     role=Invitation.InvitedRole.EDITOR)
    token = inv.link_token
    tabs = [client() for _ in range(2)]
    for tab in tabs:
        tab.get(f"/accounts/invitation/{token}/")
    statuses = at_once(2, lambda i: tabs[i].post("/accounts/invitation/", {
        "full_name": "Joiner", "password1": PASSWORD, "password2": PASSWORD}).status_code)
    assert 500 not in statuses, statuses
    assert User.objects.filter(email="joiner@example.kz").count() == 1
    assert Membership.objects.filter(user__email="joiner@example.kz", organization=cast.org).count() == 1


def test_the_link_in_each_mail_of_parallel_sign_ups_is_well_formed(cast, settings):
    settings.RATE_LIMIT_PER_EMAIL = settings.RATE_LIMIT_PER_CLIENT = (100, 3600)
    at_once(3, lambda i: client().post("/accounts/signup/", {
        "email": "links@example.kz", "full_name": "L", "password1": PASSWORD, "password2": PASSWORD}))
    links = [re.search(r"/accounts/confirm/\S+/", m.body).group(0) for m in mail.outbox]
    assert len(links) == 3
