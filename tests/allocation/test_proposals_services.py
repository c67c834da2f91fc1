"""Central-body proposals (Rules p.13) through their services: the central body drafts and sends,
the akimat of the region agrees (in full or with changed numbers, each with a reason) or declines
with a reason, the central body is notified once, and only agreed proposals count for the Ministry."""
from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocation import proposals_selectors as selectors
from allocation import proposals_services as services
from allocation.proposals_models import Proposal, ProposalLine, ProposalStatus
from allocation.proposals_plug import ACTION_LABELS
from allocation.proposals_services import ProposalLineInput
from quota_portal.core.audit import history_for
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Authority, Outbox, Role
from quota_portal.core.scoping import Tenant, TenantKind, activate
from tests.allocation.proposals_conftest import agreed, draft, proposal_input, sent
from tests.conftest import add_membership, almaty, make_user

S = ProposalStatus
pytestmark = pytest.mark.django_db


def outbox(event_key):
    return list(Outbox.objects.filter(event_key=event_key).values_list("recipient__email", "channel"))


def test_a_central_officer_drafts_and_sends_and_the_akimat_officers_are_told_once(cast, occupations):
    proposal = draft(cast)
    assert proposal.status == S.DRAFT and proposal.created_by == cast.central_officer
    assert [(line.category, line.occupation.code, line.count, line.justification) for line in proposal.lines.all()] \
        == [("3", "2142", 10, "Проектирование"), ("4", "7212", 20, "Сварка трубопроводов")]
    proposal = services.proposal_send(actor=cast.central_officer, proposal=proposal,
                                      expected_revision=proposal.revision)
    assert proposal.status == S.SENT and proposal.sent_by == cast.central_officer and not proposal.sent_late
    assert sorted(outbox(f"proposal-{proposal.pk}-sent")) == [
        ("akimat.astana@example.kz", "email"), ("akimat.astana@example.kz", "inbox")]
    with pytest.raises(DomainError) as refused:  # a second click
        services.proposal_send(actor=cast.central_officer, proposal=proposal, expected_revision=proposal.revision)
    assert refused.value.code == "wrong_status"
    assert Outbox.objects.filter(event_key__startswith=f"proposal-{proposal.pk}").count() == 2


def test_sending_after_the_deadline_needs_a_reason_and_the_proposal_shows_late(cast, occupations):
    # Today (25 Nov 2026) the 2027 campaign's proposals closed on 1 Nov 2026 at 00:00 (Rules p.13).
    proposal = draft(cast, campaign=cast.campaign)
    with pytest.raises(DomainError) as refused:
        services.proposal_send(actor=cast.central_officer, proposal=proposal, expected_revision=proposal.revision)
    assert refused.value.field == "late_reason"
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT and proposal.overdue
    proposal = services.proposal_send(actor=cast.central_officer, proposal=proposal,
                                      expected_revision=proposal.revision, late_reason="Проект утверждён 20 ноября")
    assert proposal.sent_late and proposal.sent_late_reason == "Проект утверждён 20 ноября"


def test_the_last_minute_before_the_deadline_is_on_time(cast, occupations):
    with time_machine.travel(almaty(2026, 10, 31, 23, 59, 0), tick=False):
        proposal = sent(cast, campaign=cast.campaign)
    assert proposal.status == S.SENT and not proposal.sent_late and proposal.sent_late_reason == ""


def test_the_akimat_agrees_with_a_changed_line_and_the_agreement_is_recorded(cast, occupations):
    proposal = sent(cast)
    welders = proposal.lines.get(occupation__code="7212")
    engineers = proposal.lines.get(occupation__code="2142")
    proposal = services.proposal_agree(actor=cast.akimat_officer, proposal=proposal,
                                       expected_revision=proposal.revision,
                                       counts={welders.pk: ("12", "8 безработных сварщиков в городе")})
    assert proposal.status == S.AGREED and proposal.decided_by == cast.akimat_officer
    assert proposal.decided_at is not None and proposal.agreed_with_changes
    welders.refresh_from_db()
    engineers.refresh_from_db()
    assert (welders.count, welders.agreed_count, welders.change_reason) == (20, 12, "8 безработных сварщиков в городе")
    assert (engineers.count, engineers.agreed_count, engineers.change_reason) == (10, 10, "")
    # The audit: who, when, the counts before and after.
    change = [ev for ev in history_for(welders) if ev["action"] == "proposal_agree"]
    assert len(change) == 1 and change[0]["user"] == cast.akimat_officer
    assert change[0]["changes"]["agreed_count"] == {"before": None, "after": 12}
    assert change[0]["action_label"] == str(ACTION_LABELS["proposal_agree"])
    decided = [ev for ev in history_for(proposal) if ev["action"] == "proposal_agree"]
    assert decided[0]["changes"]["status"] == {"before": "sent", "after": "agreed"}
    assert decided[0]["changes"]["decided_by_id"]["after"] == cast.akimat_officer.pk
    # The central body is notified once, by email and in the inbox.
    assert sorted(outbox(f"proposal-{proposal.pk}-decided")) == [
        ("central@example.kz", "email"), ("central@example.kz", "inbox")]
    with pytest.raises(DomainError):
        services.proposal_decline(actor=cast.akimat_officer, proposal=proposal, expected_revision=proposal.revision,
                                  reason="Передумали")
    assert len(outbox(f"proposal-{proposal.pk}-decided")) == 2


def test_a_changed_number_without_a_reason_is_refused_and_nothing_changes(cast, occupations):
    proposal = sent(cast)
    welders = proposal.lines.get(occupation__code="7212")
    for counts, field in (({welders.pk: ("12", "  ")}, f"reason_{welders.pk}"),
                          ({welders.pk: ("٣", "причина")}, f"agreed_{welders.pk}"),
                          ({welders.pk: ("-1", "причина")}, f"agreed_{welders.pk}"),
                          ({welders.pk: ("1.5", "причина")}, f"agreed_{welders.pk}")):
        with pytest.raises(DomainError) as refused:
            services.proposal_agree(actor=cast.akimat_officer, proposal=proposal,
                                    expected_revision=proposal.revision, counts=counts)
        assert refused.value.field == field
    proposal.refresh_from_db()
    assert proposal.status == S.SENT and not ProposalLine.objects.filter(agreed_count__isnull=False).exists()
    assert not Outbox.objects.filter(event_key=f"proposal-{proposal.pk}-decided").exists()


def test_agreeing_to_nothing_is_refused_decline_instead(cast, occupations):
    proposal = sent(cast)
    counts = {line.pk: ("0", "нет потребности") for line in proposal.lines.all()}
    with pytest.raises(DomainError) as refused:
        services.proposal_agree(actor=cast.akimat_officer, proposal=proposal, expected_revision=proposal.revision,
                                counts=counts)
    assert refused.value.code == "all_zero"


def test_the_akimat_declines_with_a_reason_and_the_central_body_is_told_once(cast, occupations):
    proposal = sent(cast)
    with pytest.raises(DomainError) as refused:
        services.proposal_decline(actor=cast.akimat_officer, proposal=proposal, expected_revision=proposal.revision,
                                  reason="   ")
    assert refused.value.field == "reason"
    proposal = services.proposal_decline(actor=cast.akimat_officer, proposal=proposal,
                                         expected_revision=proposal.revision, reason="Покрывается местными кадрами")
    assert (proposal.status, proposal.decline_reason, proposal.decided_by) == (
        S.DECLINED, "Покрывается местными кадрами", cast.akimat_officer)
    assert len(outbox(f"proposal-{proposal.pk}-decided")) == 2
    body = Outbox.objects.get(event_key=f"proposal-{proposal.pk}-decided", channel="inbox").body
    assert "Покрывается местными кадрами" in body


@pytest.mark.parametrize("who", ["akimat_officer_atyrau", "secretary", "member", "analyst", "central_officer",
                                 "employer", "outsider"])
def test_only_an_officer_of_the_addressed_akimat_agrees_or_declines(cast, occupations, who):
    proposal = sent(cast)
    actor = getattr(cast, who)
    for call in (lambda: services.proposal_agree(actor=actor, proposal=proposal, expected_revision=proposal.revision,
                                                 counts={}),
                 lambda: services.proposal_decline(actor=actor, proposal=proposal,
                                                   expected_revision=proposal.revision, reason="нет")):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "forbidden"
    proposal.refresh_from_db()
    assert proposal.status == S.SENT


@pytest.mark.parametrize("who", ["akimat_officer", "analyst", "employer", "outsider", "other_central"])
def test_only_an_officer_of_the_proposing_body_drafts_changes_sends_or_deletes(cast, occupations, who):
    other = Authority.objects.filter(kind=Authority.Kind.CENTRAL).exclude(pk=cast.central_body.pk).first()
    other_officer = make_user("other.central@example.kz")
    add_membership(other_officer, Role.CENTRAL_OFFICER, authority=other)
    actor = other_officer if who == "other_central" else getattr(cast, who)
    with pytest.raises(DomainError) as refused:
        draft(cast, actor=actor)
    assert refused.value.code == "forbidden"
    proposal = draft(cast)
    calls = [
        lambda: services.proposal_save(actor=actor, proposal=proposal, expected_revision=proposal.revision,
                                       region=cast.atyrau, data=proposal_input("Другое")),
        lambda: services.proposal_send(actor=actor, proposal=proposal, expected_revision=proposal.revision),
        lambda: services.proposal_delete(actor=actor, proposal=proposal, expected_revision=proposal.revision),
    ]
    for call in calls:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "forbidden"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.title, proposal.region) == (S.DRAFT, "Строительство ГПЗ", cast.astana)


def test_a_draft_is_edited_and_deleted_a_sent_proposal_is_not(cast, occupations):
    proposal = draft(cast)
    proposal = services.proposal_save(
        actor=cast.central_officer, proposal=proposal, expected_revision=proposal.revision, region=cast.atyrau,
        data=proposal_input("Другое", [ProposalLineInput("S", "9211", 7, "", 1)]))
    assert (proposal.title, proposal.region, [(ln.category, ln.count) for ln in proposal.lines.all()]) == (
        "Другое", cast.atyrau, [("S", 7)])
    with pytest.raises(DomainError) as refused:  # a stale form
        services.proposal_save(actor=cast.central_officer, proposal=proposal, expected_revision=0, region=cast.astana,
                               data=proposal_input())
    assert refused.value.code == "concurrent_update"
    services.proposal_delete(actor=cast.central_officer, proposal=proposal, expected_revision=proposal.revision)
    assert not Proposal.objects.exists() and not ProposalLine.objects.exists()
    proposal = sent(cast)
    for call in (lambda: services.proposal_save(actor=cast.central_officer, proposal=proposal,
                                                expected_revision=proposal.revision, region=cast.astana,
                                                data=proposal_input("Другое")),
                 lambda: services.proposal_delete(actor=cast.central_officer, proposal=proposal,
                                                  expected_revision=proposal.revision)):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "wrong_status"
    assert Proposal.objects.get().title == "Строительство ГПЗ"


def test_bad_lines_are_refused_with_the_field_named(cast, occupations):
    cases = [
        ([ProposalLineInput("3", "2142", "0", "", 1)], "count"),
        ([ProposalLineInput("3", "2142", "٣", "", 1)], "count"),
        ([ProposalLineInput("3", "2142", "99999999999999999999999", "", 1)], "count"),
        ([ProposalLineInput("7", "2142", "3", "", 1)], "category"),
        ([ProposalLineInput("3", "0000", "3", "", 1)], "occupation"),
        ([ProposalLineInput("3", "2142", "3", "x" * 6000, 1)], "justification"),
        ([ProposalLineInput("3", "2142", "3", "", 1), ProposalLineInput("3", "2142", "4", "", 2)], "occupation"),
        ([], None),
    ]
    for lines, field in cases:
        with pytest.raises(DomainError) as refused:
            services.proposal_create(actor=cast.central_officer, authority=cast.central_body, region=cast.astana,
                                     campaign=cast.next_campaign, data=proposal_input(lines=lines or []) if lines
                                     else services.ProposalInput("T", "J", "", []))
        assert refused.value.field == field, (lines, refused.value.message)
    assert not Proposal.objects.exists()


def test_the_same_form_submitted_twice_makes_one_draft(cast, occupations):
    import uuid

    token = uuid.uuid4()
    first = services.proposal_create(actor=cast.central_officer, authority=cast.central_body, region=cast.astana,
                                     campaign=cast.next_campaign, data=proposal_input(), token=token)
    second = services.proposal_create(actor=cast.central_officer, authority=cast.central_body, region=cast.astana,
                                      campaign=cast.next_campaign, data=proposal_input(), token=token)
    assert first.pk == second.pk and Proposal.objects.count() == 1 and ProposalLine.objects.count() == 2


def test_after_the_distribution_deadline_no_proposal_is_made_or_sent(cast, occupations):
    proposal = draft(cast, campaign=cast.campaign)
    with time_machine.travel(almaty(2027, 1, 2, 10), tick=False):
        with pytest.raises(DomainError) as refused:
            services.proposal_send(actor=cast.central_officer, proposal=proposal,
                                   expected_revision=proposal.revision, late_reason="поздно")
        assert refused.value.code == "closed"
        with pytest.raises(DomainError):
            draft(cast, campaign=cast.campaign)


def test_agreed_proposal_totals_sum_agreed_numbers_by_region_and_category_in_one_query(cast, occupations):
    first = agreed(cast)  # Astana: cat 3 x10, cat 4 x20
    welders = ProposalLine.objects.get(proposal=first, occupation__code="7212")
    assert welders.agreed_count == 20
    second = sent(cast, title="Второе", lines=[ProposalLineInput("4", "7212", 5, "", 1),
                                               ProposalLineInput("S", "9211", 9, "", 2)])
    cut = {ln.pk: ("3", "меньше") if ln.category == "4" else ("0", "не нужно") for ln in second.lines.all()}
    services.proposal_agree(actor=cast.akimat_officer, proposal=second, expected_revision=second.revision, counts=cut)
    agreed(cast, region=cast.atyrau, lines=[ProposalLineInput("1", "1120", 2, "", 1)])
    sent(cast, title="Ждёт", lines=[ProposalLineInput("3", "2142", 100, "", 1)])  # not agreed: not counted
    declined = sent(cast, title="Отказ", lines=[ProposalLineInput("3", "2142", 100, "", 1)])
    services.proposal_decline(actor=cast.akimat_officer, proposal=declined, expected_revision=declined.revision,
                              reason="нет")
    draft(cast, title="Черновик", lines=[ProposalLineInput("3", "2142", 100, "", 1)])
    agreed(cast, campaign=cast.campaign, title="Другой год")  # another campaign
    with CaptureQueriesContext(connection) as queries:
        totals = selectors.agreed_proposal_totals(cast.next_campaign)
    assert len(queries.captured_queries) == 1
    assert totals == {cast.astana.pk: {"3": 10, "4": 23}, cast.atyrau.pk: {"1": 2}}


def test_each_tenant_reads_only_its_own_proposals(cast, occupations):
    other = Authority.objects.filter(kind=Authority.Kind.CENTRAL).exclude(pk=cast.central_body.pk).first()
    other_officer = make_user("other.central@example.kz")
    add_membership(other_officer, Role.CENTRAL_OFFICER, authority=other)
    mine_draft = draft(cast, title="Черновик")
    mine_sent = sent(cast, title="Отправлено")
    mine_agreed = agreed(cast, title="Согласовано")
    to_atyrau = sent(cast, title="Атырау", region=cast.atyrau)
    theirs = sent(cast, title="Чужое", actor=other_officer, authority=other)

    def visible(tenant):
        with activate(tenant):
            return set(Proposal.objects.values_list("title", flat=True)), ProposalLine.objects.count()

    assert visible(Tenant(TenantKind.CENTRAL, authority_id=cast.central_body.pk))[0] == {
        mine_draft.title, mine_sent.title, mine_agreed.title, to_atyrau.title}
    assert visible(Tenant(TenantKind.CENTRAL, authority_id=other.pk))[0] == {theirs.title}
    assert visible(Tenant(TenantKind.AKIMAT, region_id=cast.astana.pk, authority_id=cast.akimat_astana.pk)) == (
        {mine_sent.title, mine_agreed.title, theirs.title}, 6)
    assert visible(Tenant(TenantKind.AKIMAT, region_id=cast.atyrau.pk, authority_id=cast.akimat_atyrau.pk))[0] == {
        to_atyrau.title}
    assert visible(Tenant(TenantKind.MINISTRY, authority_id=cast.ministry.pk)) == ({mine_agreed.title}, 2)
    assert visible(Tenant(TenantKind.EMPLOYER, organization_id=cast.org.pk)) == (set(), 0)
