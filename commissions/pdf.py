"""The protocol (minutes) and the written notice (Rules p.11) as PDF: pure functions of records."""
from __future__ import annotations

from django.utils import translation

from quota_portal.core.pdf import render_pdf
from quota_portal.core.scoping import system_scope

from .models import Decision, Member, Notice, Session, grounds_cited
from .names import akimat_name
from .selectors import current_decision, present_members, quorum, vote_tally, with_decisions


def protocol_context(session: Session) -> dict:
    # The decisions with their lines and votes come in a few queries for the whole session, not
    # four per item: a busy session's protocol (50 decisions) ran 209 queries (bench/pdfs.py).
    items = []
    for item in session.items.select_related("application__organization").prefetch_related(
            "conflicts__member", with_decisions()):
        decision = current_decision(item)
        votes = list(decision.votes.all()) if decision else []
        items.append({
            "item": item, "application": item.application, "decision": decision,
            "lines": list(decision.lines.all()) if decision else [],
            "votes": votes, "tally": vote_tally(votes) if decision else None,
            "conflicts": list(item.conflicts.all()),
        })
    order = {Member.Role.CHAIR: 0, Member.Role.SECRETARY: 1, Member.Role.MEMBER: 2}
    members = sorted(session.commission.members.filter(is_active=True), key=lambda m: (order[m.role], m.full_name))
    present = sorted(present_members(session), key=lambda m: (order[m.role], m.full_name))
    return {
        "session": session, "commission": session.commission, "items": items, "present": present,
        "absent": [m for m in members if m not in present], "members_count": len(members),
        "quorum": quorum(session.commission, present=present, members_count=len(members)).needed,
        "chair": next((m for m in members if m.role == Member.Role.CHAIR), None),
        "secretary": next((m for m in members if m.role == Member.Role.SECRETARY), None),
        "grounds_cited": grounds_cited(ld for row in items for ld in row["lines"]),
        "akimat": session.region.akimat, "akimat_name": akimat_name(session.region),
    }


def protocol_pdf(session: Session) -> bytes:
    return render_pdf("commissions/pdf/protocol.html", protocol_context(session))


def notice_context(notice: Notice) -> dict:
    decision: Decision = notice.decision
    commission = decision.item.session.commission
    lines = list(decision.lines.select_related("line__occupation"))
    numbered = list(enumerate(lines, start=1))
    # The last rows are printed in one unbreakable block with the signature: it never sits alone on a page.
    tail = 2 if len(numbered) > 2 else len(numbered)
    return {
        "notice": notice, "decision": decision, "application": notice.application,
        "organization": notice.organization, "session": decision.item.session,
        "lines": lines, "lines_head": numbered[:len(numbered) - tail], "lines_tail": numbered[len(numbered) - tail:],
        "akimat": notice.region.akimat, "akimat_name": akimat_name(notice.region), "commission": commission,
        "region": notice.region, "grounds_cited": grounds_cited(lines),
        # Rules p.11 "в течение пяти рабочих дней": the campaign's number, which the Ministry may set.
        "notice_working_days": notice.application.campaign.notice_working_days,
        "chair": commission.members.filter(role=Member.Role.CHAIR, is_active=True).first(),
    }


def notice_pdf(notice: Notice) -> bytes:
    """The notice in the employer's language of correspondence (kk or ru), as it is now: the
    organization may change it between the decision and the delivery, and every path (the email
    attachment, the inbox, the employer's page, the akimat's notices page) renders through here."""
    with translation.override(notice_language(notice)):
        return render_pdf("commissions/pdf/notice.html", notice_context(notice))


def notice_language(notice: Notice) -> str:
    language = notice.organization.language or notice.language or "ru"
    return language if language in ("ru", "kk") else "ru"


def notice_filename(notice: Notice) -> str:
    return f"notice-{notice.application.registration_number or notice.application_id}-{notice.pk}.pdf"


def notice_attachment(notice_id: int):
    """Outbox attachment renderer: (filename, bytes, mimetype)."""
    with system_scope():
        notice = Notice.objects.select_related("decision__item__session__commission", "application",
                                               "organization", "region__akimat").get(pk=notice_id)
        return notice_filename(notice), notice_pdf(notice), "application/pdf"
