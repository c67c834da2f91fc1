"""One implementation of each procedural rule of the Commission, and every reader agrees with it:
the services that refuse, the session page that shows, the protocol PDF that records.

The quorum (the Rules, p.9, are silent on it; the portal's rule is in commissions.selectors.quorum):
the number the Commission set, or else a majority of its active members; on an item, a member who
declared a conflict of interest on it does not count toward that item's quorum."""
from __future__ import annotations

import re

import pytest
import time_machine
from django.utils import translation

from commissions import selectors, services
from commissions.models import Decision, Member, Vote
from commissions.pdf import protocol_pdf
from commissions.selectors import Quorum, is_adopted, item_quorum, quorum, vote_tally
from quota_portal.core.errors import DomainError
from tests.commissions.conftest import all_approved
from tests.commissions.test_views import pdf_text
from tests.conftest import almaty


@pytest.fixture(autouse=True)
def _session_day():
    with time_machine.travel(almaty(2026, 10, 20, 12, 0), tick=False):
        yield


def _page(cast, case) -> str:
    response = cast.client(cast.secretary).get(f"/commissions/sessions/{case.session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _protocol_text(session) -> str:
    with translation.override("en"):
        return " ".join(pdf_text(protocol_pdf(session)).split())


# --- the quorum --------------------------------------------------------------------------------

def test_the_quorum_is_a_majority_of_active_members_unless_the_commission_sets_one(cast, astana_case):
    commission, members = astana_case.commission, astana_case.members
    assert quorum(commission, present=members[:4]) == Quorum(needed=4, taking_part=4)
    assert quorum(commission, present=members[:3]).met is False
    commission.quorum = 3
    assert quorum(commission, present=members[:3]).met is True
    Member.objects.filter(pk=members[6].pk).update(is_active=False)  # 6 active: a majority is 4
    commission.quorum = None
    assert quorum(commission, present=members[:3]).needed == 4


def test_a_member_conflicted_on_an_item_does_not_count_toward_its_quorum(cast, astana_case):
    commission, members = astana_case.commission, astana_case.members
    assert quorum(commission, present=members[:4], conflicted=[members[3].pk]) == Quorum(needed=4, taking_part=3)
    # A conflict declared by someone absent changes nothing.
    assert quorum(commission, present=members[:4], conflicted=[members[5].pk]).met is True


def test_the_service_the_session_page_and_the_protocol_apply_the_same_quorum(cast, astana_case):
    """4 of 7 present: the session has its quorum; one of them sits out the item, so the item has
    not. The service refuses the decision, the page says why at the item, the protocol records the
    number needed."""
    case = astana_case
    services.attendance_set(actor=cast.secretary, session=case.session, present_ids={m.pk for m in case.members[:4]})
    page = _page(cast, case)
    assert 'data-testid="no-quorum"' not in page and 'data-testid="item-no-quorum"' not in page

    services.conflict_declare(actor=cast.secretary, item=case.item, member=case.members[3], reason="Родственник")
    assert item_quorum(case.item) == Quorum(needed=4, taking_part=3)
    with pytest.raises(DomainError) as refusal:
        services.decision_record(actor=cast.secretary, item=case.item, lines=all_approved(case.app), votes={})
    assert refusal.value.code == "no_quorum"
    assert not Decision.objects.exists()

    page = _page(cast, case)
    assert 'data-testid="no-quorum"' not in page  # the session as a whole has its quorum
    marker = re.search(r'data-testid="item-no-quorum">(.*?)</div>', page, re.DOTALL)
    assert marker and re.findall(r"\d+", marker.group(1)) == ["3", "4"]
    assert "Present (4 / 7; quorum 4)" in _protocol_text(case.session)


# --- the vote tally ----------------------------------------------------------------------------

def test_the_tally_and_its_adoption_are_read_the_same_by_the_service_the_page_and_the_protocol(cast, astana_case):
    case = astana_case
    choices = ["for", "for", "for", "against", "against", "against", "abstain"]
    decision = services.decision_record(actor=cast.secretary, item=case.item, lines=all_approved(case.app),
                                        votes={m.pk: c for m, c in zip(case.members, choices, strict=False)})
    tally = vote_tally(decision.votes.all())
    assert tally == {"for": 3, "against": 3, "abstain": 1} and not is_adopted(tally)

    page = _page(cast, case)
    shown = {key: re.search(rf'data-testid="tally-{key}">(\d+)<', page).group(1) for key in tally}
    assert shown == {"for": "3", "against": "3", "abstain": "1"}
    assert "Voting: for — 3, against — 3, abstained — 1." in _protocol_text(case.session)
    with translation.override("en"), pytest.raises(DomainError) as refusal:
        services.session_sign(actor=cast.secretary, session=case.session)
    assert "has not been adopted" in refusal.value.message
    case.session.refresh_from_db()
    assert case.session.secretary_signed_at is None

    services.vote_cast(actor=cast.secretary, decision=decision, member=case.members[3], choice="for")
    assert is_adopted(vote_tally(Vote.objects.filter(decision=decision)))
    services.session_sign(actor=cast.secretary, session=case.session)
    case.session.refresh_from_db()
    assert case.session.secretary_signed_at is not None


@pytest.mark.parametrize(("votes", "adopted"), [
    ({}, False), ({"abstain": 3}, False), ({"for": 1}, True), ({"for": 2, "against": 2}, False),
    ({"for": 3, "against": 2, "abstain": 2}, True),
])
def test_a_decision_is_adopted_by_more_votes_for_than_against(votes, adopted):
    ballots = [Vote(choice=choice) for choice, n in votes.items() for _ in range(n)]
    tally = vote_tally(ballots)
    assert tally == {"for": 0, "against": 0, "abstain": 0, **votes}
    assert is_adopted(tally) is adopted


def test_the_services_read_the_procedure_through_the_selectors():
    """One implementation: the services module has no copy of the procedure's reads."""
    for name in ("current_decision", "eligible_voters", "vote_tally", "is_adopted", "chair_signer_id",
                 "awaiting_signature"):
        assert getattr(services, name) is getattr(selectors, name)
