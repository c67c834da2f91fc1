"""The shared domain's state-changing services check their actor themselves (core/permissions.py):
the Ministry's reference data only by the Ministry's staff, an organization's members and
invitations only by its owner. Called directly, each wrong actor is refused with "forbidden" and
nothing changes; the right actor may."""
from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from quota_portal.core import accounts_services, ops_services, services
from quota_portal.core.errors import DomainError
from quota_portal.core.models import CalendarException, Campaign, Country, Membership, Outbox, Role
from quota_portal.core.notifications import notify

NOT_MINISTRY = ("employer", "employer_editor", "employer2", "akimat_officer", "secretary", "member",
                "central_officer", "outsider")
NOT_OWNER = ("employer_editor", "employer_viewer", "employer2", "akimat_officer", "secretary", "central_officer",
             "analyst", "approver", "outsider")


def database_state() -> dict:
    """Every row of core's tables (audit events and the outbox included) and of the invitations."""
    models = list(apps.get_app_config("core").get_models())  # Invitation lives in core
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def campaign_update(cast):
    return lambda who: services.campaign_update(actor=who, campaign=cast.next_campaign,
                                                values={"notice_working_days": 7})


def calendar_exception_add(cast):
    return lambda who: services.calendar_exception_add(actor=who, day=dt.date(2026, 12, 19), is_working_day=False,
                                                       reason="Постановление Правительства № 1")


def calendar_exception_remove(cast):
    exception = CalendarException.objects.create(day=dt.date(2026, 12, 19), is_working_day=False,
                                                 reason="Постановление Правительства № 1")
    return lambda who: services.calendar_exception_remove(actor=who, exception=exception)


def country_set_treaty(cast):
    return lambda who: services.country_set_treaty(actor=who, country=Country.objects.get(alpha2="UZ"),
                                                   has_ratified_treaty=True, treaty_reference="Соглашение",
                                                   treaty_ratified_on=dt.date(2023, 6, 1))


def outage_record(cast):
    from tests.conftest import almaty

    return lambda who: ops_services.outage_record(actor=who, started_at=almaty(2026, 11, 20, 9, 0),
                                                  ended_at=almaty(2026, 11, 20, 12, 0), note="Сбой DNS")


def outbox_retry_failed(cast):
    notify(event_key="t.failed", recipients=[cast.employer], subject="s", body="b", channels=(Outbox.Channel.EMAIL,))
    Outbox.objects.filter(event_key="t.failed").update(status=Outbox.Status.FAILED, attempts=5)
    return lambda who: ops_services.outbox_retry_failed(actor=who)


def invitation_create(cast):
    return lambda who: accounts_services.invitation_create(actor=who, organization=cast.org,
                                                           email="new@example.kz", role=Role.EMPLOYER_VIEWER)


def invitation_revoke(cast):
    invitation = accounts_services.invitation_create(actor=cast.employer, organization=cast.org,
                                                     email="new@example.kz", role=Role.EMPLOYER_VIEWER)
    return lambda who: accounts_services.invitation_revoke(actor=who, invitation=invitation)


def member_change_role(cast):
    membership = Membership.objects.get(user=cast.employer_viewer, organization=cast.org)
    return lambda who: accounts_services.member_change_role(actor=who, membership=membership,
                                                            role=Role.EMPLOYER_EDITOR)


def member_remove(cast):
    membership = Membership.objects.get(user=cast.employer_viewer, organization=cast.org)
    return lambda who: accounts_services.member_remove(actor=who, membership=membership)


MINISTRY_ACTS = {f.__name__: f for f in (campaign_update, calendar_exception_add, calendar_exception_remove,
                                          country_set_treaty, outage_record, outbox_retry_failed)}
OWNER_ACTS = {f.__name__: f for f in (invitation_create, invitation_revoke, member_change_role, member_remove)}
REFUSALS = ([(name, who) for name in MINISTRY_ACTS for who in NOT_MINISTRY]
            + [(name, who) for name in OWNER_ACTS for who in NOT_OWNER])
ALLOWED = ([(name, who) for name in MINISTRY_ACTS for who in ("analyst", "approver")]
           + [(name, "employer") for name in OWNER_ACTS])
ACTS = {**MINISTRY_ACTS, **OWNER_ACTS}


@pytest.mark.parametrize(("service", "who"), REFUSALS, ids=[f"{s}-by-{w}" for s, w in REFUSALS])
def test_a_wrong_actor_is_refused_and_nothing_changes(cast, service, who):
    call = ACTS[service](cast)
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        call(getattr(cast, who))
    assert refusal.value.code == "forbidden", refusal.value.message
    assert database_state() == before


@pytest.mark.parametrize(("service", "who"), ALLOWED, ids=[f"{s}-by-{w}" for s, w in ALLOWED])
def test_the_right_actor_may_in_the_same_arrangement(cast, service, who):
    call = ACTS[service](cast)
    before = database_state()
    call(getattr(cast, who))
    assert database_state() != before


def test_a_campaign_is_changed_only_by_an_active_ministry_account(cast):
    cast.analyst.is_active = False
    cast.analyst.save()
    with pytest.raises(DomainError) as refusal:
        campaign_update(cast)(cast.analyst)
    assert refusal.value.code == "forbidden"
    assert Campaign.objects.get(pk=cast.next_campaign.pk).notice_working_days == 5
