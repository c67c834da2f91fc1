"""Redistribution pages (Rules p.21): every page for every role, the other region and the other central
body refused, hostile input on the form kept and refused on its field, the Ministry's queue acting."""
from __future__ import annotations

import pytest
from django.urls import reverse

from allocation.quota_models import Redistribution
from allocation.quota_services import current_version
from quota_portal.core.models import Authority, Role

from ..conftest import add_membership, make_user
from .redistribution_helpers import ask, endorsed, publish_version_1

R = Redistribution.Status
LIST, NEW = reverse("allocation:redistributions"), reverse("allocation:redistribution_new")


def detail(r):
    return reverse("allocation:redistribution_detail", args=[r.pk])


def queue(year=2027):
    return reverse("redistribution:queue", args=[year])


@pytest.fixture
def other_central(cast):
    body = Authority.objects.filter(kind=Authority.Kind.CENTRAL).exclude(pk=cast.central_body.pk).order_by("pk").first()
    user = make_user("central2@example.kz")
    add_membership(user, Role.CENTRAL_OFFICER, authority=body)
    return user


@pytest.mark.parametrize("who,status", [("akimat_officer", 200), ("central_officer", 200), ("analyst", 404),
                                        ("approver", 404), ("secretary", 404), ("employer", 404),
                                        ("outsider", 404)])
def test_the_requesters_pages_are_for_akimat_and_central_body_officers(cast, who, status):
    publish_version_1(cast)
    client = cast.client(getattr(cast, who))
    assert client.get(LIST).status_code == status
    assert client.get(NEW).status_code == status


def test_anonymous_is_sent_to_login(cast):
    for url in (LIST, NEW, queue(), reverse("redistribution:use", args=[2027]), reverse("allocation:permits")):
        response = cast.client(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_akimat_asks_to_receive_from_the_reserve(cast):
    publish_version_1(cast)
    response = cast.client(cast.akimat_officer_atyrau).post(NEW, {
        "campaign": cast.campaign.pk, "direction": "receive", "other_region": "reserve", "category": "3",
        "count": "7", "reason": "Polymer plant"})
    r = Redistribution.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(r)
    assert (r.from_region, r.to_region, r.count, r.requested_by_authority) == (None, cast.atyrau, 7, cast.akimat_atyrau)


def test_an_akimat_asks_to_give_to_another_region_but_never_to_the_reserve(cast):
    publish_version_1(cast)
    client = cast.client(cast.akimat_officer)
    data = {"campaign": cast.campaign.pk, "direction": "give", "other_region": cast.atyrau.pk, "category": "3",
            "count": "10", "reason": "Unused"}
    assert client.post(NEW, data).status_code == 302
    r = Redistribution.objects.get()
    assert (r.from_region, r.to_region) == (cast.astana, cast.atyrau)
    response = client.post(NEW, {**data, "other_region": "reserve"})
    assert response.status_code == 200 and "other_region" in response.context["form"].errors
    assert Redistribution.objects.count() == 1


def test_an_akimat_cannot_pick_its_own_region_as_the_other_end(cast):
    publish_version_1(cast)
    response = cast.client(cast.akimat_officer).post(NEW, {
        "campaign": cast.campaign.pk, "direction": "receive", "other_region": cast.astana.pk, "category": "3",
        "count": "10", "reason": "x"})
    assert response.status_code == 200 and "other_region" in response.context["form"].errors
    assert Redistribution.objects.count() == 0


@pytest.mark.parametrize("field,value", [("count", "٣"), ("count", "-5"), ("count", "0"), ("count", "9" * 400),
                                         ("count", "1\x00"), ("reason", "x\x00y"), ("reason", "x" * 6000),
                                         ("reason", "   "), ("category", "7"),
                                         ("other_region", "99999999999999999999")])
def test_hostile_input_is_refused_on_its_field_and_kept(cast, field, value):
    publish_version_1(cast)
    data = {"campaign": cast.campaign.pk, "direction": "receive", "other_region": cast.atyrau.pk, "category": "3",
            "count": "10", "reason": "Need"}
    response = cast.client(cast.akimat_officer).post(NEW, {**data, field: value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert field in response.context["form"].errors
    assert Redistribution.objects.count() == 0


def test_more_than_the_region_holds_is_refused_on_the_count(cast):
    publish_version_1(cast)
    response = cast.client(cast.central_officer).post(NEW, {
        "campaign": cast.campaign.pk, "from_region": cast.astana.pk, "to_region": cast.atyrau.pk, "category": "3",
        "count": "101", "reason": "Need"})
    assert response.status_code == 200 and "count" in response.context["form"].errors
    assert 'value="101"' in response.content.decode()
    assert Redistribution.objects.count() == 0


def test_who_sees_a_request(cast, other_central):
    publish_version_1(cast)
    between = ask(cast)  # Astana -> Atyrau, by Astana
    to_atyrau = ask(cast, n=5, from_region=None, actor=cast.central_officer, authority=cast.central_body)
    for user in (cast.akimat_officer, cast.akimat_officer_atyrau, cast.analyst, cast.approver):
        assert cast.client(user).get(detail(between)).status_code == 200
    assert cast.client(cast.central_officer).get(detail(between)).status_code == 404  # not its request
    assert cast.client(cast.akimat_officer).get(detail(to_atyrau)).status_code == 404  # not its region
    assert cast.client(other_central).get(detail(to_atyrau)).status_code == 404  # another central body
    assert cast.client(cast.central_officer).get(detail(to_atyrau)).status_code == 200
    for user in (cast.employer, cast.secretary, cast.outsider):
        assert cast.client(user).get(detail(between)).status_code == 404
    assert cast.client(cast.akimat_officer).get(reverse("allocation:redistribution_detail", args=[10**30])
                                                ).status_code == 404


def test_the_queue_is_the_ministrys(cast):
    publish_version_1(cast)
    ask(cast)
    for user in (cast.analyst, cast.approver):
        response = cast.client(user).get(queue())
        assert response.status_code == 200 and len(response.context["rows"]) == 1
    for user in (cast.akimat_officer, cast.central_officer, cast.employer, cast.secretary):
        assert cast.client(user).get(queue()).status_code == 404
    assert cast.client(cast.analyst).get(queue(1999)).status_code == 404
    assert cast.client(cast.analyst).get(reverse("redistribution:queue_current")).status_code == 302


def test_endorse_then_approve_from_the_queue_publishes_version_2(cast):
    publish_version_1(cast)
    r = ask(cast, n=20)
    analyst, approver = cast.client(cast.analyst), cast.client(cast.approver)
    endorse = reverse("allocation:redistribution_endorse", args=[r.pk])
    approve = reverse("allocation:redistribution_approve", args=[r.pk])
    assert approver.post(endorse, {"revision": 0}).status_code == 404  # an approver does not endorse
    assert cast.client(cast.akimat_officer).post(approve, {"revision": 0}).status_code == 404
    response = analyst.post(endorse, {"revision": 0, "back": "queue"})
    assert response.status_code == 302 and response["Location"] == queue()
    assert Redistribution.objects.get().status == R.ENDORSED
    assert approver.post(approve, {"revision": 0}).status_code == 302  # stale revision: refused, nothing done
    assert Redistribution.objects.get().status == R.ENDORSED
    approver.post(approve, {"revision": 1})
    assert Redistribution.objects.get().status == R.APPROVED
    assert current_version(cast.campaign).number == 2
    page = cast.client(cast.akimat_officer).get(detail(r)).content.decode()
    assert 'data-testid="result"' in page


def test_decline_needs_a_reason_and_keeps_the_form(cast):
    publish_version_1(cast)
    r = ask(cast)
    url = reverse("allocation:redistribution_decline", args=[r.pk])
    response = cast.client(cast.analyst).post(url, {"revision": 0, "reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["decline"].errors
    assert cast.client(cast.akimat_officer).post(url, {"revision": 0, "reason": "no"}).status_code == 404
    response = cast.client(cast.analyst).post(url, {"revision": 0, "reason": "The reserve is kept for 2027"})
    assert response.status_code == 302
    assert Redistribution.objects.get().decline_reason == "The reserve is kept for 2027"


def test_the_requester_withdraws_from_the_detail(cast):
    publish_version_1(cast)
    r = ask(cast)
    url = reverse("allocation:redistribution_withdraw", args=[r.pk])
    cast.client(cast.akimat_officer_atyrau).post(url, {"revision": 0})  # the other akimat: refused
    assert Redistribution.objects.get().status == R.REQUESTED
    cast.client(cast.akimat_officer).post(url, {"revision": 0})
    assert Redistribution.objects.get().status == R.WITHDRAWN


def test_the_approver_who_endorsed_sees_no_approve_button(cast):
    add_membership(cast.analyst, Role.MINISTRY_APPROVER, authority=cast.ministry)
    publish_version_1(cast)
    r = endorsed(cast)
    assert 'data-testid="approve"' in cast.client(cast.approver).get(detail(r)).content.decode()
    response = cast.client(cast.analyst).post(reverse("allocation:redistribution_approve", args=[r.pk]),
                                              {"revision": r.revision})
    assert response.status_code in (302, 404)
    assert Redistribution.objects.get().status == R.ENDORSED
