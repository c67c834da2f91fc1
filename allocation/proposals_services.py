"""State changes of central-body proposals (Rules p.13). Every function checks its actor first
(allocation/proposals_permissions.py), owns its transaction, locks the row and checks its revision,
is audited, and refuses with a translated DomainError.

    draft --send--> sent --agree--> agreed      (in full, or with changed counts, each with a reason)
                         --decline-> declined  (with a reason)

The deadline ("until 1 November", Campaign.closes_at("proposals")) binds a state body: sending after
it is allowed with the reason recorded, and the proposal shows as late. Once the Ministry's own
deadline for the distribution (p.19) has passed, a proposal can no longer be made or sent.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.services import LineInput, LineProblem, check_lines, parse_count
from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Authority, Campaign, Membership, Region, Role, User
from quota_portal.core.notifications import notify
from quota_portal.core.parsing import clean_text, parse_int

from .proposals_models import MAX_TEXT, MAX_TITLE, Proposal, ProposalLine, ProposalStatus
from .proposals_permissions import ensure_central_officer, ensure_region_akimat_officer

S = ProposalStatus


@dataclass
class ProposalLineInput:
    category: str
    occupation_code: str
    count: object
    justification: str = ""
    row: int | None = None


@dataclass
class ProposalInput:
    title: str
    justification: str
    projects: str
    lines: list[ProposalLineInput]


def check_proposal_lines(rows: list[ProposalLineInput]) -> tuple[list[dict], list[LineProblem]]:
    """Validate lines: category 1-4 or seasonal, an occupation of the classifier, a whole count
    1..10 000, no category and occupation twice (one implementation with Annex 1's lines), and the
    line's justification within its length."""
    checked = check_lines([LineInput(category=r.category, occupation_code=r.occupation_code, count=r.count,
                                     row=r.row) for r in rows])
    problems = list(checked.problems)
    for r in rows:
        if len(clean_text(r.justification).strip()) > MAX_TEXT:
            problems.append(LineProblem(r.row, "", _("The text is longer than %(max)s characters.")
                                        % {"max": MAX_TEXT}, "justification"))
    if not rows:
        problems.append(LineProblem(None, "", _("Add at least one line: category, occupation and number.")))
    if problems:
        return [], problems
    # Every row is valid: check_lines kept them all, in order.
    return [{"category": line["category"], "occupation": line["occupation"], "count": line["count"],
             "justification": clean_text(r.justification).strip()}
            for r, line in zip(rows, checked.lines, strict=True)], []


def _check_text(data: ProposalInput) -> None:
    title = clean_text(data.title).strip()
    if not title:
        raise DomainError(_("Name the subject of the proposal."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(_("The subject is longer than %(max)s characters.") % {"max": MAX_TITLE}, field="title")
    if not clean_text(data.justification).strip():
        raise DomainError(_("Justify the proposal from the labour-market forecast for the year (Rules p.13)."),
                          field="justification")
    for name in ("justification", "projects"):
        if len(clean_text(getattr(data, name))) > MAX_TEXT:
            raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}, field=name)


def _checked(data: ProposalInput) -> list[dict]:
    _check_text(data)
    lines, problems = check_proposal_lines(data.lines)
    if problems:
        first = problems[0]
        error = DomainError(first.message, field=first.field or None, code="bad_lines")
        error.problems = problems
        raise error
    return lines


def _ensure_campaign_open(campaign: Campaign) -> None:
    if not campaign.is_open("distribution"):
        raise DomainError(_("The quota for %(campaign)s has already been distributed (Rules p.19): proposals for it "
                            "are no longer accepted.") % {"campaign": campaign}, field="campaign", code="closed")


def _lock(proposal: Proposal, expected_revision: int | None) -> Proposal:
    locked = (Proposal.objects.select_for_update(of=("self",)).select_related("campaign", "region", "authority")
              .get(pk=proposal.pk))
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate()
    return locked


def _bump(proposal: Proposal, **fields) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **fields)
    proposal.refresh_from_db()


def _ensure_status(proposal: Proposal, status: str, message: str) -> None:
    if proposal.status != status:
        raise DomainError(message % {"status": S(proposal.status).label}, code="wrong_status")


def _write_lines(proposal: Proposal, lines: list[dict]) -> None:
    ProposalLine.objects.filter(proposal=proposal).delete()
    ProposalLine.objects.bulk_create([ProposalLine(proposal=proposal, position=i, **line)
                                      for i, line in enumerate(lines)])


NOT_DRAFT = gettext_lazy("The proposal is “%(status)s”; only a draft can be changed, deleted or sent.")


# --- the central body -------------------------------------------------------------------------

def proposal_create(*, actor: User, authority: Authority, region: Region, campaign: Campaign,
                    data: ProposalInput, token: uuid.UUID | None = None) -> Proposal:
    """Draft a proposal of `authority` for `region` and `campaign` (Rules p.13). With a form's
    one-time `token`, a second submission of the same form returns the draft the first one made."""
    ensure_central_officer(actor, authority)
    if authority.kind != Authority.Kind.CENTRAL:
        raise DomainError(_("Only a central state body makes proposals (Rules p.13)."))
    _ensure_campaign_open(campaign)
    lines = _checked(data)
    with transaction.atomic(), audited(actor, "proposal_create"):
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    authority=authority, region=region, campaign=campaign, title=clean_text(data.title).strip(),
                    justification=clean_text(data.justification).strip(), projects=clean_text(data.projects).strip(),
                    create_token=token, created_by=actor)
        except IntegrityError:
            existing = Proposal.objects.filter(create_token=token, authority=authority).first()
            if existing is None:
                raise
            return existing
        _write_lines(proposal, lines)
    return proposal


def proposal_save(*, actor: User, proposal: Proposal, expected_revision: int, region: Region,
                  data: ProposalInput) -> Proposal:
    """Change a draft: its region, texts and lines (replaced)."""
    ensure_central_officer(actor, proposal.authority_id)
    lines = _checked(data)
    with transaction.atomic(), audited(actor, "proposal_save"):
        locked = _lock(proposal, expected_revision)
        _ensure_status(locked, S.DRAFT, NOT_DRAFT)
        _ensure_campaign_open(locked.campaign)
        _write_lines(locked, lines)
        _bump(locked, region=region, title=clean_text(data.title).strip(),
              justification=clean_text(data.justification).strip(), projects=clean_text(data.projects).strip())
    return locked


def proposal_delete(*, actor: User, proposal: Proposal, expected_revision: int) -> None:
    """Delete a draft (never a sent proposal: the akimat has seen it)."""
    ensure_central_officer(actor, proposal.authority_id)
    with transaction.atomic(), audited(actor, "proposal_delete"):
        locked = _lock(proposal, expected_revision)
        _ensure_status(locked, S.DRAFT, NOT_DRAFT)
        locked.delete()


def _users_of(memberships) -> list[User]:
    ids = memberships.filter(user__is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def central_recipients(proposal: Proposal) -> list[User]:
    """The officers of the proposing central body."""
    return _users_of(Membership.objects.filter(role=Role.CENTRAL_OFFICER, authority_id=proposal.authority_id))


def akimat_recipients(proposal: Proposal) -> list[User]:
    """The officers of the akimat of the proposal's region."""
    return _users_of(Membership.objects.filter(role=Role.AKIMAT_OFFICER, authority__region_id=proposal.region_id))


def proposal_send(*, actor: User, proposal: Proposal, expected_revision: int, late_reason: str = "") -> Proposal:
    """Send a draft to the akimat of its region for agreement (Rules p.13, until 1 November; after
    it, with the reason for the delay, and the proposal shows as late). The akimat's officers are
    notified once."""
    ensure_central_officer(actor, proposal.authority_id)
    late_reason = clean_text(late_reason).strip()
    with transaction.atomic(), audited(actor, "proposal_send"):
        locked = _lock(proposal, expected_revision)
        _ensure_status(locked, S.DRAFT, NOT_DRAFT)
        _ensure_campaign_open(locked.campaign)
        if not ProposalLine.objects.filter(proposal=locked).exists():
            raise DomainError(_("Add at least one line: category, occupation and number."))
        now = timezone.now()
        late = not locked.campaign.is_open("proposals", now)
        if late and not late_reason:
            raise DomainError(_("The deadline for proposals (until 1 November, Rules p.13) has passed: state the "
                                "reason for the delay."), field="late_reason", code="late_reason")
        if len(late_reason) > MAX_TEXT:
            raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT},
                              field="late_reason")
        _bump(locked, status=S.SENT, sent_at=now, sent_by=actor, sent_late_reason=late_reason if late else "")
        url = reverse("allocation:proposal_detail", args=[locked.pk])
        notify(event_key=f"proposal-{locked.pk}-sent", recipients=akimat_recipients(locked), url=url,
               subject=lambda user: _("A central body's proposal awaits your agreement: %(title)s")
               % {"title": locked.title},
               body=lambda user: _("%(body)s proposes foreign workers for %(region)s for %(campaign)s (Rules p.13) "
                                   "and asks the akimat to agree. Open the proposal to agree to it, change its "
                                   "numbers or decline it.")
               % {"body": locked.authority, "region": locked.region, "campaign": locked.campaign})
    return locked


# --- the akimat -------------------------------------------------------------------------------

def parse_agreed_count(raw) -> int:
    """An agreed number: a whole number 0..10 000 (0: the akimat does not agree to the line)."""
    if parse_int(raw.strip() if isinstance(raw, str) else raw, min_value=0, max_value=0) == 0:
        return 0
    return parse_count(raw)


def _notify_decided(proposal: Proposal) -> None:
    url = reverse("allocation:proposal_detail", args=[proposal.pk])
    if proposal.status == S.AGREED:
        subject = lambda user: _("The akimat agreed to your proposal: %(title)s") % {"title": proposal.title}  # noqa: E731
        body = lambda user: (  # noqa: E731
            _("The akimat of %(region)s agreed to the proposal with changed numbers; each change has its reason.")
            if proposal.agreed_with_changes else _("The akimat of %(region)s agreed to the proposal in full.")
        ) % {"region": proposal.region}
    else:
        subject = lambda user: _("The akimat declined your proposal: %(title)s") % {"title": proposal.title}  # noqa: E731
        body = lambda user: _("The akimat of %(region)s declined the proposal. Reason: %(reason)s") % {  # noqa: E731
            "region": proposal.region, "reason": proposal.decline_reason}
    notify(event_key=f"proposal-{proposal.pk}-decided", recipients=central_recipients(proposal), url=url,
           subject=subject, body=body)


def proposal_agree(*, actor: User, proposal: Proposal, expected_revision: int,
                   counts: dict[int, tuple[object, str]]) -> Proposal:
    """The akimat agrees: `counts` maps each line's id to (the agreed number, the reason for a
    change). A line left out keeps its proposed number; a changed number needs a reason. The agreed
    numbers are recorded beside the proposed ones (before/after), with who decided and when; the
    central body's officers are notified once."""
    ensure_region_akimat_officer(actor, proposal.region_id)
    with transaction.atomic(), audited(actor, "proposal_agree"):
        locked = _lock(proposal, expected_revision)
        _ensure_status(locked, S.SENT, _("The proposal is “%(status)s”; only a proposal awaiting agreement can be "
                                         "agreed or declined."))
        _ensure_campaign_open(locked.campaign)
        lines = list(ProposalLine.objects.filter(proposal=locked)
                     .select_related("occupation"))
        updates = []
        for line in lines:
            raw, reason = counts.get(line.pk, (line.count, ""))
            try:
                agreed = parse_agreed_count(raw)
            except ValueError as exc:
                raise DomainError(str(exc), field=f"agreed_{line.pk}") from None
            reason = clean_text(reason).strip()
            if agreed != line.count and not reason:
                raise DomainError(_("%(line)s: state the reason for changing the number from %(before)s to %(after)s.")
                                  % {"line": line.occupation, "before": line.count, "after": agreed},
                                  field=f"reason_{line.pk}", code="change_reason")
            if len(reason) > MAX_TEXT:
                raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT},
                                  field=f"reason_{line.pk}")
            line.agreed_count, line.change_reason = agreed, reason if agreed != line.count else ""
            updates.append(line)
        if not any(line.agreed_count for line in updates):
            raise DomainError(_("Every agreed number is 0: decline the proposal instead, with the reason."),
                              code="all_zero")
        ProposalLine.objects.bulk_update(updates, ["agreed_count", "change_reason"])
        _bump(locked, status=S.AGREED, decided_at=timezone.now(), decided_by=actor, decline_reason="")
        _notify_decided(locked)
    return locked


def proposal_decline(*, actor: User, proposal: Proposal, expected_revision: int, reason: str) -> Proposal:
    """The akimat declines the proposal, with the reason; the central body's officers are notified once."""
    ensure_region_akimat_officer(actor, proposal.region_id)
    reason = clean_text(reason).strip()
    if not reason:
        raise DomainError(_("State the reason for declining the proposal."), field="reason")
    if len(reason) > MAX_TEXT:
        raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}, field="reason")
    with transaction.atomic(), audited(actor, "proposal_decline"):
        locked = _lock(proposal, expected_revision)
        _ensure_status(locked, S.SENT, _("The proposal is “%(status)s”; only a proposal awaiting agreement can be "
                                         "agreed or declined."))
        _bump(locked, status=S.DECLINED, decided_at=timezone.now(), decided_by=actor, decline_reason=reason)
        _notify_decided(locked)
    return locked
