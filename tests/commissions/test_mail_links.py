"""Every mail's links use SITE_URL, whatever Host header the request that caused it carried: the
account mails (confirmation, reset, invitation) and the outbox ones (receipt, reminder, notice)."""
from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from applications import services as app_services
from applications.sweeps import remind_drafts
from quota_portal.core.delivery import deliver_pending
from tests.conftest import almaty

from .test_views import signed_case  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
SITE = "https://configured.example.kz"
LINK = re.compile(r"(?:https?://|www\.)[^\s\"'<>)]+")


def test_every_mail_links_to_site_url(cast, settings, signed_case, django_capture_on_commit_callbacks):  # noqa: F811
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.SITE_URL = SITE
    host = {"HTTP_HOST": "127.0.0.1:6666"}
    password = "Sapar-2026-kz!"
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post("/accounts/signup/", {"email": "links@example.kz", "full_name": "Х", "password1": password,
                                             "password2": password}, **host)
        anonymous.post("/accounts/password-reset/", {"email": cast.employer.email}, **host)
        cast.client(cast.employer).post("/accounts/members/", {"email": "c9@example.kz", "role": "employer_viewer"},
                                        **host)
        # The reminder of a draft and the notice (signed_case) go through the outbox.
        app = app_services.application_start(actor=cast.employer, organization=cast.org,
                                             campaign=cast.next_campaign, region=cast.astana)
        deliver_pending()
        with time_machine.travel(almaty(2027, 9, 28, 10, 0, 0), tick=False):
            assert remind_drafts() >= 1
        deliver_pending()
    bodies = [m.body for m in mail.outbox]
    links = [link for body in bodies for link in LINK.findall(body)]
    for expected in ("/accounts/confirm/", "/accounts/reset/", "/accounts/invitation/",
                     f"/applications/{app.pk}/", "/commissions/"):
        assert any(link.startswith(SITE) and expected in link for link in links), (expected, links)
    assert all(link.startswith(SITE + "/") for link in links), links
    assert not any("6666" in body or "testserver" in body for body in bodies)
