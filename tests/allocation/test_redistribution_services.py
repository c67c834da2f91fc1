"""Redistribution (Rules p.21): who asks, two people at the Ministry, the total kept, a source never
below zero nor below what it has used, the reserve, and two approvals at once."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from allocation.quota_models import Distribution, DistributionCell, PermitUse, Redistribution
from allocation.quota_services import current_version
from allocation.redistribution_services import (
    redistribution_approve,
    redistribution_decline,
    redistribution_endorse,
    redistribution_withdraw,
)
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Outbox, Role
from quota_portal.core.scoping import system_scope

from ..conftest import add_membership, make_user
from .redistribution_helpers import ask, endorsed, publish_version_1

R = Redistribution.Status


def permits(version):
    return {(c.region_id, c.category): c.count for c in DistributionCell.objects.filter(
        distribution=version, component="permits")}


def test_an_akimat_asks_an_analyst_endorses_an_approver_approves_and_version_2_keeps_the_total(cast):
    v1 = publish_version_1(cast)
    request = ask(cast, n=30)
    assert request.status == R.REQUESTED
    request = redistribution_endorse(actor=cast.analyst, redistribution=request)
    request = redistribution_approve(actor=cast.approver, redistribution=request)
    assert request.status == R.APPROVED and request.decided_by == cast.approver
    v2 = current_version(cast.campaign)
    assert (v2.number, v2.previous_id, v2.redistribution_id) == (2, v1.pk, request.pk)
    assert v2.reason == request.reason
    assert (v2.proposed_by, v2.approved_by) == (cast.analyst, cast.approver)
    before, after = permits(v1), permits(v2)
    assert after[(cast.astana.pk, "3")] == before[(cast.astana.pk, "3")] - 30
    assert after[(cast.atyrau.pk, "3")] == before[(cast.atyrau.pk, "3")] + 30
    assert sum(after.values()) + v2.reserve == sum(before.values()) + v1.reserve == v2.permits_total
    assert (v2.permits_total, v2.immigrants_total, v2.reserve) == (v1.permits_total, v1.immigrants_total, v1.reserve)
    # The requester and both regions' akimats hear of it.
    told = set(Outbox.objects.filter(event_key=f"redistribution-{request.pk}-decided").values_list(
        "recipient__email", flat=True))
    assert {cast.akimat_officer.email, cast.akimat_officer_atyrau.email} <= told


def test_from_the_reserve_takes_from_the_reserve_and_never_more_than_it_holds(cast):
    publish_version_1(cast, reserve=10)
    with pytest.raises(DomainError) as short:
        ask(cast, n=11, from_region=None, actor=cast.akimat_officer_atyrau, authority=cast.akimat_atyrau)
    assert short.value.code == "short"
    request = endorsed(cast, n=10, from_region=None, actor=cast.akimat_officer_atyrau, authority=cast.akimat_atyrau)
    redistribution_approve(actor=cast.approver, redistribution=request)
    v2 = current_version(cast.campaign)
    assert v2.reserve == 0 and permits(v2)[(cast.atyrau.pk, "3")] == 210
    assert sum(permits(v2).values()) + v2.reserve == v2.permits_total


def test_a_central_body_asks_for_any_two_regions(cast):
    publish_version_1(cast)
    request = ask(cast, actor=cast.central_officer, authority=cast.central_body, n=5)
    assert request.requested_by_authority == cast.central_body


@pytest.mark.parametrize("who", ["employer", "secretary", "analyst", "approver", "outsider", "akimat_officer_atyrau"])
def test_only_an_officer_of_the_asking_authority_asks(cast, who):
    publish_version_1(cast)
    with pytest.raises(DomainError) as refused:
        ask(cast, actor=getattr(cast, who), authority=cast.akimat_astana)
    assert refused.value.code == "forbidden"
    assert Redistribution.objects.count() == 0


def test_an_akimat_asks_only_to_give_or_receive_its_own_regions_quota(cast):
    publish_version_1(cast)
    other = cast.akimat_astana.region  # Astana's akimat moving between Atyrau and the reserve: not its business
    assert other == cast.astana
    with pytest.raises(DomainError) as refused:
        ask(cast, from_region=None, to_region="atyrau")
    assert refused.value.code == "forbidden"


def test_nothing_to_redistribute_before_publication_nor_after_the_quota_year(cast):
    with pytest.raises(DomainError) as unpublished:
        ask(cast)
    assert unpublished.value.code == "unpublished"
    publish_version_1(cast)
    new_year = dt.datetime(2028, 1, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(new_year, tick=False), pytest.raises(DomainError) as over:
        ask(cast)
    assert over.value.code == "over"


@pytest.mark.parametrize("count", [0, -5, "٣", "3.5", "1" * 40, "", None, "\x00"])
def test_a_bad_number_is_refused_on_the_count_field(cast, count):
    publish_version_1(cast)
    with pytest.raises(DomainError) as refused:
        ask(cast, n=count)
    assert refused.value.field == "count"
    assert Redistribution.objects.count() == 0


def test_below_zero_is_refused_at_the_request_and_again_at_approval(cast):
    publish_version_1(cast)
    with pytest.raises(DomainError) as short:
        ask(cast, n=101)
    assert short.value.code == "short"
    first, second = endorsed(cast, n=60), endorsed(cast, n=60)
    redistribution_approve(actor=cast.approver, redistribution=first)
    with pytest.raises(DomainError) as again:
        redistribution_approve(actor=cast.approver, redistribution=second)
    assert again.value.code == "short"
    assert Redistribution.objects.get(pk=second.pk).status == R.ENDORSED
    assert current_version(cast.campaign).number == 2


def test_a_region_never_gives_below_what_it_has_used(cast):
    publish_version_1(cast)
    request = endorsed(cast, n=30)
    PermitUse.objects.create(campaign=cast.campaign, region=cast.astana, category="3", count=80,
                             issued_on=dt.date(2027, 1, 10), recorded_by=cast.akimat_officer)
    with pytest.raises(DomainError) as refused:
        redistribution_approve(actor=cast.approver, redistribution=request)
    assert refused.value.code == "below_used"
    assert current_version(cast.campaign).number == 1
    assert Distribution.objects.count() == 1


def test_two_people_the_endorser_never_approves(cast):
    add_membership(cast.analyst, Role.MINISTRY_APPROVER, authority=cast.ministry)
    publish_version_1(cast)
    request = endorsed(cast)
    with pytest.raises(DomainError) as refused:
        redistribution_approve(actor=cast.analyst, redistribution=request)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        redistribution_approve(actor=cast.analyst, redistribution=ask(cast))  # not endorsed yet
    assert current_version(cast.campaign).number == 1


@pytest.mark.parametrize("who", ["akimat_officer", "central_officer", "analyst"])
def test_only_an_approver_approves_and_only_an_analyst_endorses(cast, who):
    publish_version_1(cast)
    request = endorsed(cast)
    with pytest.raises(DomainError):
        redistribution_approve(actor=getattr(cast, who), redistribution=request)
    with pytest.raises(DomainError):
        redistribution_endorse(actor=cast.approver, redistribution=ask(cast))


def test_decline_needs_a_reason_and_a_declined_request_cannot_be_approved(cast):
    publish_version_1(cast)
    request = ask(cast)
    with pytest.raises(DomainError) as no_reason:
        redistribution_decline(actor=cast.analyst, redistribution=request, reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError):
        redistribution_decline(actor=cast.akimat_officer, redistribution=request, reason="no")
    declined = redistribution_decline(actor=cast.analyst, redistribution=request, reason="The reserve is kept")
    assert (declined.status, declined.decline_reason) == (R.DECLINED, "The reserve is kept")
    with pytest.raises(DomainError):
        redistribution_endorse(actor=cast.analyst, redistribution=declined)


def test_the_requester_withdraws_and_nobody_else(cast):
    publish_version_1(cast)
    request = ask(cast)
    with pytest.raises(DomainError):
        redistribution_withdraw(actor=cast.akimat_officer_atyrau, redistribution=request)
    withdrawn = redistribution_withdraw(actor=cast.akimat_officer, redistribution=request)
    assert withdrawn.status == R.WITHDRAWN
    with pytest.raises(DomainError):
        redistribution_withdraw(actor=cast.akimat_officer, redistribution=withdrawn)


def test_a_stale_revision_is_refused(cast):
    publish_version_1(cast)
    request = ask(cast)
    redistribution_endorse(actor=cast.analyst, redistribution=request, revision=0)
    with pytest.raises(DomainError):
        redistribution_decline(actor=cast.approver, redistribution=request, reason="x", revision=0)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_both_apply_each_on_the_latest_version(cast):
    publish_version_1(cast)
    second_approver = make_user("approver2@example.kz")
    add_membership(second_approver, Role.MINISTRY_APPROVER, authority=cast.ministry)
    first, second = endorsed(cast, n=20), endorsed(cast, n=30, category="3")
    barrier, results = threading.Barrier(2), {}

    def approve(who, request):
        try:
            barrier.wait(10)
            with system_scope():
                results[request.pk] = redistribution_approve(actor=who, redistribution=request).status
        except DomainError as exc:
            results[request.pk] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(cast.approver, first)),
               threading.Thread(target=approve, args=(second_approver, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {first.pk: R.APPROVED, second.pk: R.APPROVED}
    v3 = current_version(cast.campaign)
    assert v3.number == 3 and Distribution.objects.filter(campaign=cast.campaign).count() == 3
    assert permits(v3)[(cast.astana.pk, "3")] == 50 and permits(v3)[(cast.atyrau.pk, "3")] == 250
    assert sum(permits(v3).values()) + v3.reserve == v3.permits_total


@pytest.mark.django_db(transaction=True)
def test_two_approvals_that_together_take_too_much_leave_one_refused_cleanly(cast):
    publish_version_1(cast)
    second_approver = make_user("approver2@example.kz")
    add_membership(second_approver, Role.MINISTRY_APPROVER, authority=cast.ministry)
    first, second = endorsed(cast, n=70), endorsed(cast, n=70)
    barrier, results = threading.Barrier(2), {}

    def approve(who, request):
        try:
            barrier.wait(10)
            with system_scope():
                results[request.pk] = redistribution_approve(actor=who, redistribution=request).status
        except DomainError as exc:
            results[request.pk] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(cast.approver, first)),
               threading.Thread(target=approve, args=(second_approver, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results.values()) == [R.APPROVED, "short"]
    assert current_version(cast.campaign).number == 2
    assert permits(current_version(cast.campaign))[(cast.astana.pk, "3")] == 30
