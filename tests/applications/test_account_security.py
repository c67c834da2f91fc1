"""Issue 9, account takeover: confirmation links, repeated sign-ups, rate limits, tokens in logs.

Every test here failed against the code the probe found (a link that logged in for 3 days, a
repeated sign-up that replaced the password, links built on the Host header, tokens in the audit).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from quota_portal.core import accounts_services as services
from quota_portal.core.models import Invitation, Membership, User
from quota_portal.core.redact import REDACTED, redact

VICTIM_PASSWORD = "Victim-own-2026!"
ATTACKER_PASSWORD = "Attacker-chose-2026!"


class MailingClient(Client):
    """A browser in English whose requests run their on-commit callbacks (the mails) as they end:
    the test's transaction never commits."""

    def __init__(self, user: User | None = None):
        super().__init__()
        self.cookies["qp_language"] = "en"
        if user is not None:
            self.force_login(user)

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def en_client(user: User | None = None) -> MailingClient:
    return MailingClient(user)


def sign_up(client: Client, email: str, password: str, name: str = "Айгерим", **extra):
    return client.post("/accounts/signup/", {"email": email, "full_name": name, "password1": password,
                                             "password2": password}, **extra)


def links_in(message) -> list[str]:
    return re.findall(r"https?://[^/\s]+(/\S+)", message.body)


def confirm_link_in(message) -> str:
    (link,) = [p for p in links_in(message) if p.startswith("/accounts/confirm/")]
    return link


def log_in(client: Client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


# --- a confirmation link activates once and never stands in for the password --------------------

def test_a_confirmation_link_activates_the_account_once_and_never_logs_in(cast):
    sign_up(en_client(), "new@example.kz", VICTIM_PASSWORD)
    link = confirm_link_in(mail.outbox[-1])
    first = en_client()
    response = first.get(link, follow=True)
    assert response.redirect_chain == [("/accounts/confirm/", 302)]  # the token leaves the address bar
    assert not User.objects.get(email="new@example.kz").is_active  # opening it changes nothing yet
    response = first.post("/accounts/confirm/", {"password": VICTIM_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/") and response.status_code == 200
    assert User.objects.get(email="new@example.kz").is_active
    assert "_auth_user_id" not in first.session and first.get("/dashboard/").status_code == 302
    for opener in (first, en_client()):  # the same browser or another: the link is used up
        again = opener.get(link, follow=True)
        assert again.status_code == 400 and "already been used or is not valid" in again.content.decode()
        assert "_auth_user_id" not in opener.session


def test_a_confirmation_link_does_not_log_in_an_account_locked_for_failed_logins(cast):
    sign_up(en_client(), "locked@example.kz", VICTIM_PASSWORD)
    link = confirm_link_in(mail.outbox[-1])
    for _ in range(5):
        log_in(en_client(), "locked@example.kz", "wrong-password")
    opener = en_client()
    opener.get(link, follow=True)
    opener.post("/accounts/confirm/", {"password": VICTIM_PASSWORD})
    assert User.objects.get(email="locked@example.kz").is_active
    assert "_auth_user_id" not in opener.session and opener.get("/dashboard/").status_code == 302
    assert log_in(en_client(), "locked@example.kz", VICTIM_PASSWORD).status_code == 429  # the lock holds


def test_a_password_change_makes_an_outstanding_confirmation_link_invalid(cast):
    sign_up(en_client(), "reset@example.kz", VICTIM_PASSWORD)
    link = confirm_link_in(mail.outbox[-1])
    user = User.objects.get(email="reset@example.kz")
    user.set_password("Another-2026-pass!")  # as a reset or an accepted invitation does
    user.save()
    response = en_client().get(link, follow=True)
    assert response.status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


def test_a_confirmation_link_expires_after_3_days(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(en_client(), "late@example.kz", VICTIM_PASSWORD)
    link = confirm_link_in(mail.outbox[-1])
    with time_machine.travel(start + dt.timedelta(days=3, minutes=1), tick=False):
        response = en_client().get(link, follow=True)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not User.objects.get(email="late@example.kz").is_active


# --- signing up again changes nothing --------------------------------------------------------------

def test_signing_up_again_for_an_unconfirmed_email_keeps_the_first_password_and_name(cast):
    # The probe: the victim signs up, the attacker signs up again with the victim's address and
    # a password of their own; the victim then confirms with their own link.
    sign_up(en_client(), "victim@example.kz", VICTIM_PASSWORD, name="Victim")
    victim_link = confirm_link_in(mail.outbox[-1])
    before = User.objects.get(email="victim@example.kz")
    attacker = en_client()
    response = sign_up(attacker, "victim@example.kz", ATTACKER_PASSWORD, name="Attacker")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    after = User.objects.get(pk=before.pk)
    assert (after.password, after.full_name, after.is_active) == (before.password, "Victim", False)
    assert mail.outbox[-1].to == ["victim@example.kz"]  # the fresh link goes to the address only
    victim = en_client()
    victim.get(victim_link, follow=True)
    victim.post("/accounts/confirm/", {"password": VICTIM_PASSWORD})
    assert log_in(en_client(), "victim@example.kz", ATTACKER_PASSWORD).status_code == 200  # refused
    assert log_in(en_client(), "victim@example.kz", VICTIM_PASSWORD).status_code == 302


def test_the_repeated_sign_ups_link_lets_the_mailbox_owner_choose_the_password(cast):
    # The reverse order: the attacker signs up first with the victim's address; the victim, who
    # cannot know that password, signs up too and confirms with the fresh link.
    sign_up(en_client(), "target@example.kz", ATTACKER_PASSWORD, name="Attacker")
    attackers_link = confirm_link_in(mail.outbox[-1])
    sign_up(en_client(), "target@example.kz", VICTIM_PASSWORD, name="Victim")
    fresh = mail.outbox[-1]
    assert fresh.to == ["target@example.kz"] and "choose your password" in fresh.body
    victim = en_client()
    page = victim.get(confirm_link_in(fresh), follow=True)
    assert page.status_code == 200 and 'data-testid="confirm-password"' in page.content.decode()
    assert 'autocomplete="new-password"' in page.content.decode()
    weak = victim.post("/accounts/confirm/", {"password1": "123", "password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(email="target@example.kz").is_active
    chosen = "Chosen-by-owner-2026"
    done = victim.post("/accounts/confirm/", {"password1": chosen, "password2": chosen})
    assert done.status_code == 302 and done["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in victim.session
    assert log_in(en_client(), "target@example.kz", ATTACKER_PASSWORD).status_code == 200  # refused
    assert log_in(en_client(), "target@example.kz", "Chosen-by-owner-2026").status_code == 302
    assert en_client().get(attackers_link, follow=True).status_code == 400


def test_the_link_of_a_sign_up_made_by_someone_else_never_activates_their_password(cast):
    """Found by the review: the attacker signs up FIRST with the victim's address. The mail goes to
    the victim; opening its link (the victim, who may be signing up at that very moment, or a mail
    scanner that follows every link) activated an account whose password the attacker chose. The
    link's page now asks for the password chosen at sign-up: only whoever chose it can activate."""
    sign_up(en_client(), "target@example.kz", ATTACKER_PASSWORD, name="Attacker")
    link = confirm_link_in(mail.outbox[-1])
    victim = en_client()
    page = victim.get(link, follow=True)  # a person or a scanner: a GET changes nothing
    assert page.status_code == 200 and 'data-testid="confirm-account"' in page.content.decode()
    assert not User.objects.get(email="target@example.kz").is_active
    wrong = victim.post("/accounts/confirm/", {"password": VICTIM_PASSWORD})
    assert wrong.status_code == 200 and "sign up again" in wrong.content.decode()
    assert not User.objects.get(email="target@example.kz").is_active
    assert log_in(en_client(), "target@example.kz", ATTACKER_PASSWORD).status_code == 200  # refused: inactive
    # The victim signs up again and chooses their own password with the fresh link.
    sign_up(en_client(), "target@example.kz", VICTIM_PASSWORD, name="Victim")
    fresh = en_client()
    fresh.get(confirm_link_in(mail.outbox[-1]))
    fresh.post("/accounts/confirm/", {"password1": "Chosen-by-owner-2026", "password2": "Chosen-by-owner-2026"})
    assert log_in(en_client(), "target@example.kz", ATTACKER_PASSWORD).status_code == 200
    assert log_in(en_client(), "target@example.kz", "Chosen-by-owner-2026").status_code == 302


def test_sign_up_answers_the_same_for_a_new_an_unconfirmed_and_an_active_email(cast):
    sign_up(en_client(), "pending@example.kz", VICTIM_PASSWORD)
    pages = []
    for email in ("fresh@example.kz", "pending@example.kz", cast.employer.email):
        c = en_client()
        response = sign_up(c, email, VICTIM_PASSWORD)
        assert (response.status_code, response["Location"]) == (302, "/accounts/signup/sent/")
        html = c.get("/accounts/signup/sent/").content.decode()
        pages.append(re.search(r'<main.*</main>', html, re.S).group(0).replace(email, "EMAIL"))
        assert mail.outbox[-1].to == [email]
    assert pages[0] == pages[1] == pages[2]
    assert "already exists" not in pages[2]
    notice = mail.outbox[-1]
    # in the account's own language (Russian here): a notice with the login and reset links, no confirmation
    assert "/accounts/login/" in notice.body and "/accounts/password-reset/" in notice.body
    assert "/accounts/confirm/" not in notice.body


def test_the_pages_that_show_an_address_or_a_link_to_an_anonymous_visitor_are_never_stored(cast):
    c = en_client()
    sign_up(c, "private@example.kz", VICTIM_PASSWORD)
    sent = c.get("/accounts/signup/sent/")
    assert "private@example.kz" in sent.content.decode() and "no-store" in sent["Cache-Control"]
    c.get(confirm_link_in(mail.outbox[-1]))
    assert "no-store" in c.get("/accounts/confirm/")["Cache-Control"]


def test_the_sign_up_page_shows_the_password_rules_and_autocomplete_hints(db, client):
    html = client.get("/accounts/signup/").content.decode()
    assert "Your password must contain at least 12 characters." in html  # the policy of issue 13
    for attr in ('autocomplete="email"', 'autocomplete="name"', 'autocomplete="new-password"'):
        assert attr in html, attr


# --- rate limits -----------------------------------------------------------------------------------

def test_sign_up_is_limited_per_email_address_and_lifts_after_the_window(cast, settings):
    settings.RATE_LIMIT_PER_EMAIL = (3, 3600)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):  # from three different clients
            assert sign_up(en_client(), "flood@example.kz", VICTIM_PASSWORD,
                           REMOTE_ADDR=f"10.0.0.{n + 1}").status_code == 302
        refused = sign_up(en_client(), "flood@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.0.0.9")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        html = refused.content.decode()
        assert "Too many requests" in html and 'value="flood@example.kz"' in html  # the input is kept
        assert len(mail.outbox) == 3
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=1), tick=False):
        assert sign_up(en_client(), "flood@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_sign_up_is_limited_per_client_address(cast, settings):
    settings.RATE_LIMIT_PER_CLIENT = (4, 3600)
    for n in range(4):
        response = sign_up(en_client(), f"bulk{n}@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 302
    assert sign_up(en_client(), "bulk9@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert not User.objects.filter(email="bulk9@example.kz").exists()
    assert sign_up(en_client(), "bulk9@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.1.1.2").status_code == 302


def test_password_reset_requests_are_limited_per_email_and_per_client(cast, settings):
    settings.RATE_LIMIT_PER_EMAIL = (2, 3600)
    settings.RATE_LIMIT_PER_CLIENT = (3, 3600)
    for n in range(2):
        r = en_client().post("/accounts/password-reset/", {"email": cast.employer.email}, REMOTE_ADDR=f"10.2.0.{n}")
        assert r.status_code == 302
    refused = en_client().post("/accounts/password-reset/", {"email": cast.employer.email}, REMOTE_ADDR="10.2.0.9")
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert len(mail.outbox) == 2
    # per client: unknown addresses count too (the answer is the same as for known ones)
    for n in range(3):
        assert en_client().post("/accounts/password-reset/", {"email": f"x{n}@example.kz"},
                                REMOTE_ADDR="10.3.0.1").status_code == 302
    assert en_client().post("/accounts/password-reset/", {"email": cast.employer2.email},
                            REMOTE_ADDR="10.3.0.1").status_code == 429
    assert len(mail.outbox) == 2


def test_an_owners_invitations_are_limited_like_sign_ups(cast, settings):
    settings.RATE_LIMIT_PER_CLIENT = (2, 3600)
    owner = en_client(cast.employer)
    for n in range(2):
        owner.post("/accounts/members/", {"email": f"c{n}@example.kz", "role": "employer_viewer"})
    refused = owner.post("/accounts/members/", {"email": "c9@example.kz", "role": "employer_viewer"})
    assert refused.status_code == 200 and "Too many requests" in refused.content.decode()
    assert not Invitation.objects.filter(email="c9@example.kz").exists() and len(mail.outbox) == 2


# --- tokens never reach logs or audit records ------------------------------------------------------

def _everything_recorded() -> str:
    """Every audit context, audit event and login record, as one text."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.apps import apps
    from pghistory.models import Context, Event

    rows = [c.metadata for c in Context.objects.all()]
    for model in apps.get_models():
        if issubclass(model, Event):
            rows += list(model._default_manager.values())
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        rows += list(model.objects.values())
    return json.dumps(rows, default=str)


def test_no_link_token_reaches_the_audit_records_or_the_login_records(cast):
    client = en_client()
    # sign-up and confirmation
    sign_up(client, "flow@example.kz", VICTIM_PASSWORD)
    confirm = confirm_link_in(mail.outbox[-1])
    client.get(confirm, follow=True)
    client.post("/accounts/confirm/", {"password": VICTIM_PASSWORD})
    log_in(client, "flow@example.kz", VICTIM_PASSWORD)
    # an invitation accepted by a new person, and one accepted by a logged-in person
    owner = en_client(cast.employer)
    owner.post("/accounts/members/", {"email": "joiner@example.kz", "role": "employer_editor"})
    invitation = links_in(mail.outbox[-1])[0]
    joiner = en_client()
    assert joiner.get(invitation, follow=True).redirect_chain == [("/accounts/invitation/", 302)]
    joiner.post("/accounts/invitation/", {"full_name": "J", "password1": VICTIM_PASSWORD,
                                          "password2": VICTIM_PASSWORD})
    owner.post("/accounts/members/", {"email": "flow@example.kz", "role": "employer_viewer"})
    invitation2 = links_in(mail.outbox[-1])[0]
    client.get(invitation2, follow=True)
    assert client.post("/accounts/invitation/").status_code == 302
    # a password reset
    en_client().post("/accounts/password-reset/", {"email": cast.employer2.email})
    reset = links_in(mail.outbox[-1])[0]
    resetter = en_client()
    form_page = resetter.get(reset, follow=True)
    resetter.post(form_page.redirect_chain[-1][0], {"new_password1": "Fresh-pass-2026!",
                                                    "new_password2": "Fresh-pass-2026!"})

    assert Membership.objects.filter(user__email__in=["joiner@example.kz", "flow@example.kz"],
                                     organization=cast.org).count() == 2
    recorded = _everything_recorded()
    tokens = [confirm.split("/")[3], invitation.split("/")[3], invitation2.split("/")[3], reset.split("/")[4]]
    assert all(len(t) > 10 for t in tokens)
    for token in tokens:
        assert token not in recorded
    assert not Invitation.objects.filter(token__in=tokens).exists()  # stored as digests only


def test_every_link_the_portal_mails_is_redacted_and_token_less_pages_are_not():
    token = "eyJ1IjoxfQ:1vB2xY:AbC-dEf_123"
    links = [reverse("accounts:confirm", args=[token]), reverse("accounts:invitation", args=[token]),
             reverse("password_reset_confirm", kwargs={"uidb64": "MTI", "token": "cd2x1e-" + token[-12:]})]
    for link in links:
        line = f'"GET {link} HTTP/1.1" 302 0'
        assert redact(line) != line and token[-12:] not in redact(line) and REDACTED in redact(line)
    for page in ("/accounts/confirm/", "/accounts/invitation/", "/accounts/reset/MTI/set-password/",
                 "/accounts/reset/done/", "/accounts/invitations/5/revoke/"):
        assert redact(f"GET {page} HTTP/1.1") == f"GET {page} HTTP/1.1"


@pytest.mark.parametrize("logger_name", ["django.server", "django.request", "axes.handlers.database",
                                         "celery.app.trace", "quota_portal.core.notifications"])
def test_every_configured_log_handler_redacts_link_tokens(logger_name):
    token = "secret-token-0123456789"
    logger = logging.getLogger(logger_name)
    handlers = []
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    # pytest's capture handlers and the NullHandlers libraries add write nothing anywhere.
    handlers = [h for h in handlers if not type(h).__module__.startswith("_pytest")
                and not isinstance(h, logging.NullHandler)]
    assert handlers, logger_name
    for handler in handlers:
        record = logging.LogRecord(logger_name, logging.WARNING, __file__, 1, '"%s" %s %s',
                                   (f"GET /accounts/confirm/{token}/ HTTP/1.1", 302, 0), None)
        record.status_code, record.server_time = 302, "now"
        assert handler.filter(record), handler
        assert token not in handler.format(record), handler


def test_gunicorns_access_and_error_logs_redact_link_tokens():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from quota_portal.gunicorn_logger import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    log = RedactingLogger(cfg)
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    for target in (log.access_log, log.error_log):
        target.addHandler(Keep())
    token = "invitation-token-abcdef0123"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/accounts/invitation/{token}/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": f"/accounts/invitation/{token}/", "QUERY_STRING": "", "REMOTE_ADDR": "10.0.0.1"}
    log.access(SimpleNamespace(status="302 Found", sent=0, headers=[]), SimpleNamespace(headers=[]), environ,
               dt.timedelta(seconds=0))
    log.error("Error handling request %s", f"/accounts/invitation/{token}/")
    assert len(seen) == 2 and all(token not in line and "/accounts/invitation/" in line for line in seen)


# --- make run -------------------------------------------------------------------------------------

def test_make_run_builds_mail_links_on_the_address_it_serves_unless_site_url_is_set():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("run_tool", Path(__file__).parents[2] / "tools" / "run.py")
    run_tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_tool)
    env: dict = {}
    run_tool.prepare_environment(env, "127.0.0.1:8101")
    assert env["SITE_URL"] == "http://127.0.0.1:8101" and env["DEBUG"] == "false"
    env = {"SITE_URL": "https://quota.example.kz", "DEBUG": "true"}
    run_tool.prepare_environment(env, "0.0.0.0:8101")
    assert env["SITE_URL"] == "https://quota.example.kz" and env["DEBUG"] == "true"
    assert "0.0.0.0" in env["ALLOWED_HOSTS"].split(",")


def test_the_migration_replaces_stored_invitation_tokens_and_their_history_by_digests(cast):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("applications.migrations.0004_invitation_token_digests")
    # The models as that migration sees them (Invitation was the applications app's then).
    apps = MigrationLoader(connection).project_state(("applications", "0004_invitation_token_digests")).apps
    raw = "an-invitation-token-from-before-the-fix-0123"
    inv = Invitation.objects.create(organization=cast.org, email="old@example.kz", role="employer_viewer",
                                    token=raw, invited_by=cast.employer,
                                    expires_at=timezone.now() + dt.timedelta(days=3))
    assert raw in _everything_recorded()
    migration.digest_tokens(apps, None)
    assert raw not in _everything_recorded()
    assert services.invitation_for_token(raw).pk == inv.pk  # the link already mailed still works


# --- an email longer than the column (found by the review of issue 9) ------------------------------

# 267 characters: a valid address for Django's EmailField (up to 320), longer than the 254 that
# User.email, Invitation.email and django-axes' username column (255) hold.
LONG_EMAIL = ".".join(c * 60 for c in "bcde") + "@" + "f" * 20 + ".kz"


def test_an_email_longer_than_its_column_is_a_field_error_on_every_form(cast):
    assert 254 < len(LONG_EMAIL) <= 320
    client = Client(raise_request_exception=False)
    client.cookies["qp_language"] = "en"
    for response in (sign_up(client, LONG_EMAIL, VICTIM_PASSWORD),
                     log_in(client, LONG_EMAIL, VICTIM_PASSWORD),
                     client.post("/accounts/password-reset/", {"email": LONG_EMAIL})):
        assert response.status_code == 200
        assert "at most 254 characters" in response.content.decode()
    owner = Client(raise_request_exception=False)
    owner.force_login(cast.employer)
    owner.cookies["qp_language"] = "en"
    response = owner.post("/accounts/members/", {"email": LONG_EMAIL, "role": "employer_viewer"})
    assert response.status_code == 200 and "at most 254 characters" in response.content.decode()
    assert not User.objects.filter(email__startswith="bbbb").exists()
    assert not Invitation.objects.exists() and len(mail.outbox) == 0


# --- the client's address behind a reverse proxy (found by the review of issue 9) ------------------

def test_x_forwarded_for_never_counts_without_a_trusted_proxy(cast, settings):
    settings.RATE_LIMIT_PER_CLIENT = (2, 3600)
    settings.TRUSTED_PROXIES = []
    for n in range(2):
        assert sign_up(en_client(), f"spoof{n}@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.1.1.1",
                       HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 302
    refused = sign_up(en_client(), "spoof9@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="10.1.1.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert refused.status_code == 429 and not User.objects.filter(email="spoof9@example.kz").exists()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit_and_cannot_spoof_another(cast, settings):
    """Behind the README's reverse proxy every connection came from the proxy: 20 sign-ups an hour
    for the whole portal, which one person could use up for everyone."""
    import ipaddress

    settings.RATE_LIMIT_PER_CLIENT = (2, 3600)
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("172.18.0.0/16")]
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    for n in range(2):
        assert sign_up(en_client(), f"a{n}@example.kz", VICTIM_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5",
                       **proxy).status_code == 302
    # The same client, however it fills the header itself: the proxy appends the real address.
    for forged in ("203.0.113.99", "203.0.113.99, 172.18.0.9", "garbage"):
        refused = sign_up(en_client(), "a9@example.kz", VICTIM_PASSWORD,
                          HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5", **proxy)
        assert refused.status_code == 429, forged
    # Another client behind the same proxy is not limited by the first.
    assert sign_up(en_client(), "b0@example.kz", VICTIM_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6",
                   **proxy).status_code == 302
    # A connection that does not come from the proxy has its header ignored.
    assert sign_up(en_client(), "c0@example.kz", VICTIM_PASSWORD, REMOTE_ADDR="203.0.113.5",
                   HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429


def test_the_failed_login_records_carry_the_clients_address_behind_a_trusted_proxy(cast, settings):
    import ipaddress

    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("172.18.0.0/16")]
    log_in(en_client(), cast.employer.email, "wrong-password", REMOTE_ADDR="172.18.0.5",
           HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_a_failed_login_from_a_request_without_an_address_is_recorded_without_one(cast):
    # axes stores the address in an IP column: "unknown" there was a database error, not a record.
    from axes.models import AccessAttempt

    response = log_in(en_client(), cast.employer.email, "wrong-password", REMOTE_ADDR="")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address is None


def test_trusted_proxies_are_parsed_strictly(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import quota_portal.settings.base"], capture_output=True,
                            text=True, env={"DATABASE_URL": "postgres://x@127.0.0.1/x", "TRUSTED_PROXIES": "proxy",
                                            "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr
