"""The secretary records "all present members in favour" per item or for the whole agenda; the
exceptions stay editable; conflicted members sit out. The chair is told once that the protocol
awaits their signature, and the header names the chair as chair."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from commissions import services
from commissions.models import Decision, Vote
from quota_portal.core.delivery import deliver_pending
from quota_portal.core.models import Outbox

from .conftest import all_approved, full_commission, generalize, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items(cast, occupations, astana_case):
    """The Astana session with a second undisputed application on its agenda; both decided, no votes."""
    other = make_application(cast, org=cast.org2, lines=[("3", occupations.o3112, 2)], number="REG-2")
    generalize(other, cast.akimat_officer)
    services.agenda_refresh(actor=cast.secretary, session=astana_case.session)
    items = list(astana_case.session.items.order_by("position"))
    assert len(items) == 2
    for item in items:
        services.decision_record(actor=cast.secretary, item=item, lines=all_approved(item.application), votes={})
    return items


def test_one_action_records_all_present_members_in_favour_on_the_whole_agenda(cast, astana_case, two_items):
    conflicted = astana_case.members[4]
    services.conflict_declare(actor=cast.secretary, item=two_items[1], member=conflicted, reason="родственник")
    decision = Decision.objects.get(item=two_items[0])
    # An exception given before: kept.
    services.vote_cast(actor=cast.secretary, decision=decision, member=astana_case.members[3], choice="against")
    response = cast.client(cast.secretary).post(f"/commissions/sessions/{astana_case.session.pk}/all-in-favour/")
    assert response.status_code == 302
    first = dict(Vote.objects.filter(decision=decision).values_list("member_id", "choice"))
    assert len(first) == 7 and first[astana_case.members[3].pk] == "against"
    assert sum(1 for c in first.values() if c == "for") == 6
    second = dict(Vote.objects.filter(decision__item=two_items[1]).values_list("member_id", "choice"))
    assert len(second) == 6 and conflicted.pk not in second and set(second.values()) == {"for"}
    # The exception stays editable afterwards.
    services.vote_cast(actor=cast.secretary, decision=decision, member=astana_case.members[2], choice="abstain")
    assert Vote.objects.get(decision=decision, member=astana_case.members[2]).choice == "abstain"


def test_per_item_in_favour_touches_only_that_item_and_only_the_secretary_may(cast, astana_case, two_items):
    url = f"/commissions/sessions/{astana_case.session.pk}/all-in-favour/"
    assert cast.client(cast.member).post(url, {"item": two_items[0].pk}).status_code == 404
    assert cast.client(cast.secretary_atyrau).post(url, {"item": two_items[0].pk}).status_code == 404
    assert Vote.objects.count() == 0
    cast.client(cast.secretary).post(url, {"item": two_items[0].pk})
    assert Vote.objects.filter(decision__item=two_items[0], choice="for").count() == 7
    assert Vote.objects.filter(decision__item=two_items[1]).count() == 0


def test_the_decision_form_records_all_in_favour_with_exceptions(cast, astana_case):
    l1, l2 = astana_case.lines
    url = f"/commissions/items/{astana_case.item.pk}/decision/"
    client = cast.client(cast.secretary)
    assert 'data-testid="all-in-favour"' in client.get(url).content.decode()
    response = client.post(url, {"version": 0, f"approved_{l1.pk}": 5, f"approved_{l2.pk}": 10, "all_in_favour": "1",
                                 f"vote_{astana_case.members[6].pk}": "abstain"})
    assert response.status_code == 302
    votes = dict(Vote.objects.values_list("member_id", "choice"))
    assert len(votes) == 7 and votes[astana_case.members[6].pk] == "abstain"


def test_the_service_refuses_a_member_and_a_signed_session(cast, astana_case):
    from quota_portal.core.errors import DomainError

    with pytest.raises(DomainError):
        services.votes_all_in_favour(actor=cast.member, session=astana_case.session)
    assert Vote.objects.count() == 0


def test_the_chair_is_told_once_when_the_protocol_awaits_their_signature(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes={}, all_in_favour=True)
    mail.outbox.clear()
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    rows = Outbox.objects.filter(event_key=f"commissions.protocol_awaits_chair.{astana_case.session.pk}")
    assert {(r.recipient_id, r.channel) for r in rows} == {(cast.member.pk, Outbox.Channel.EMAIL),
                                                            (cast.member.pk, Outbox.Channel.INBOX)}
    deliver_pending()
    assert [m.to for m in mail.outbox] == [[cast.member.email]]
    assert str(astana_case.session.number) in mail.outbox[0].subject
    # Withdrawn and signed again: not told twice.
    services.session_signature_withdraw(actor=cast.secretary, session=astana_case.session)
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    assert rows.count() == 2
    body = cast.client(cast.member).get("/inbox/").content.decode()
    assert str(astana_case.session.number) in body


def test_the_header_names_the_chair_as_chair(cast, astana_case):
    body = cast.client(cast.member).get("/dashboard/").content.decode()
    assert "Председатель Комиссии" in body
    # A plain member stays a member.
    astana_case.chair.user = None
    astana_case.chair.save()
    astana_case.members[2].user = cast.member
    astana_case.members[2].save()
    body = cast.client(cast.member).get("/dashboard/").content.decode()
    assert "Председатель Комиссии" not in body


_unused = (dt, full_commission)
