"""State changes of the akimat review and the Commission (Rules p.7-11).

Every service is keyword-only, takes the acting user, owns its transaction, is audited, and
raises DomainError with a translated message naming the field and the point of the Rules.
Applications change status only through `applications.workflow.transition`.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from applications.models import Application
from applications.workflow import ensure_filing_closed, transition
from quota_portal.core.audit import audited
from quota_portal.core.calendar import add_working_days
from quota_portal.core.errors import ConcurrentUpdate, DomainError, raise_collected
from quota_portal.core.models import Organization
from quota_portal.core.notifications import notify
from quota_portal.core.scoping import Tenant, TenantKind, activate
from quota_portal.core.selectors import RecipientPurpose, organization_recipients

from . import permissions
from .models import (
    MAX_FIGURE,
    AgendaItem,
    Attendance,
    Commission,
    ConflictDeclaration,
    Decision,
    Generalization,
    GeneralizationLine,
    Ground,
    LabourMarketFigure,
    LineDecision,
    Member,
    Notice,
    Session,
    Violation,
    Vote,
)
from .selectors import (
    awaiting_signature,
    chair_signer_id,
    current_decision,
    eligible_voters,
    is_adopted,
    item_quorum,
    vote_tally,
)

S = Application.Status

# Who may act: commissions/permissions.py. Every service below calls one of its checks first: a
# task, a command or a second view has no decorator in front of it.

# --- labour market (Rules p.7(1)-(3)) ------------------------------------------------------

def figure_save(*, actor, region, campaign, occupation, values: dict) -> LabourMarketFigure:
    """Create or update the region's figures for one occupation."""
    permissions.ensure_akimat_officer(actor, region)
    data = {name: values.get(name) or 0 for name in LabourMarketFigure.NUMBER_FIELDS}
    for name, value in data.items():
        if not isinstance(value, int) or value < 0 or value > MAX_FIGURE:
            raise DomainError(_("Enter a whole number from 0 to %(max)s (Rules p.7).") % {"max": MAX_FIGURE},
                              field=name)
    with transaction.atomic(), audited(actor, "figure_save"):
        fig, _created = LabourMarketFigure.objects.update_or_create(
            region=region, campaign=campaign, occupation=occupation,
            defaults={**data, "note": values.get("note", ""), "updated_by": actor})
    return fig


class ImportFailed(DomainError):
    """The file had row errors: nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__(_("Nothing was imported: fix the rows listed and upload the file again."),
                         code="import_failed")
        self.errors = errors


def figures_import(*, actor, region, campaign, rows: list[dict]) -> int:
    """Save parsed template rows all-or-nothing (the parser lists row errors first)."""
    permissions.ensure_akimat_officer(actor, region)
    with transaction.atomic(), audited(actor, "figures_import"):
        for row in rows:
            LabourMarketFigure.objects.update_or_create(
                region=region, campaign=campaign, occupation=row["occupation"],
                defaults={**{k: row[k] for k in LabourMarketFigure.NUMBER_FIELDS},
                          "note": row.get("note", ""), "updated_by": actor})
    return len(rows)


# --- violations (Rules p.10(2), (3)) ------------------------------------------------------

def _violation_employer(region, organization: Organization | None, bin_iin: str) -> Organization:
    """The employer a violation is recorded against: one the akimat already sees (it filed in the
    region, or has a violation recorded there), or one named deliberately by its BIN/IIN."""
    from django.core.exceptions import ValidationError

    from quota_portal.core.validators import validate_bin_iin

    bin_iin = (bin_iin or "").strip()
    if organization is not None and bin_iin and organization.bin_iin != bin_iin:
        raise DomainError(_("Choose the employer from the list or type its BIN/IIN, not two different ones."),
                          field="bin_iin")
    if organization is not None:
        # The one rule of who an akimat sees (Organization.scope_q), not a second copy of it.
        with activate(Tenant(kind=TenantKind.AKIMAT, region_id=region.pk)):
            if not Organization.objects.filter(pk=organization.pk).exists():
                raise DomainError(_("This employer has not filed an application in the region: type its "
                                    "BIN/IIN to record a violation deliberately."), field="organization")
        return organization
    if not bin_iin:
        raise DomainError(_("Choose the employer from the list or type its BIN/IIN."), field="organization")
    try:
        validate_bin_iin(bin_iin)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="bin_iin") from None
    # A deliberate look-up by the exact identifier the officer typed: the only way an akimat reaches
    # an employer that has not filed in its region.
    found = Organization.objects.unscoped(
        "an akimat records a violation against an employer named by its exact BIN/IIN (Rules p.10(2), (3))"
    ).filter(bin_iin=bin_iin).first()
    if found is None:
        raise DomainError(_("No employer with BIN/IIN %(value)s is registered on the portal.") % {"value": bin_iin},
                          field="bin_iin")
    return found


def violation_record(*, actor, region, organization: Organization | None = None, bin_iin: str = "",
                     ground: str, year: int, description: str,
                     remedied_on: dt.date | None = None) -> Violation:
    """Record an employer's violation (Rules p.10(2), (3)). The employer is one that filed in the
    region, or is named deliberately by its BIN/IIN (`bin_iin`)."""
    permissions.ensure_akimat_officer(actor, region)
    organization = _violation_employer(region, organization, bin_iin)
    if ground not in (Ground.PERMITS, Ground.LABOUR_LAW):
        raise DomainError(_("Choose the ground: p.10(2) or p.10(3)."), field="ground")
    if not description.strip():
        raise DomainError(_("Describe the violation (Rules p.10)."), field="description")
    with transaction.atomic(), audited(actor, "violation_record"):
        return Violation.objects.create(region=region, organization=organization, ground=ground, year=year,
                                        description=description.strip(), remedied_on=remedied_on,
                                        recorded_by=actor)


def violation_update(*, actor, violation: Violation, remedied_on: dt.date | None, description: str) -> Violation:
    """Record the remedy of a violation (or correct its description)."""
    permissions.ensure_akimat_officer(actor, violation.region_id)
    if remedied_on and remedied_on > timezone.localdate():
        raise DomainError(_("The remedy date cannot be in the future."), field="remedied_on")
    with transaction.atomic(), audited(actor, "violation_update"):
        violation.remedied_on = remedied_on
        violation.description = description.strip() or violation.description
        violation.save(update_fields=["remedied_on", "description"])
    return violation


# --- generalization (Rules p.7, p.8) --------------------------------------------------------

def _generalization_for(application: Application) -> Generalization:
    gen, _created = Generalization.objects.get_or_create(application=application,
                                                         defaults={"region": application.region})
    return gen


def generalization_save(*, actor, application: Application, notes: dict, lines: dict,
                        expected_version: int) -> Generalization:
    """Record the four-factor notes and each line's recommended count (Rules p.7).

    `expected_version` is the generalization's version the form was opened with (0: none yet). It
    is required: a save that does not say what it was based on is a conflict, never a pass.
    """
    permissions.ensure_akimat_officer(actor, application.region_id)
    if type(expected_version) is not int:
        raise ConcurrentUpdate()
    # Rules p.6: until the filing deadline the employer may amend or withdraw the application.
    ensure_filing_closed(application.campaign)
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise DomainError(_("Only a submitted application under review can be generalized (Rules p.7)."))
    app_lines = {line.pk: line for line in application.lines.all()}
    for line_id, (recommended, _note) in lines.items():
        line = app_lines.get(line_id)
        if line is None:
            raise DomainError(_("Unknown line."))
        if recommended is None or recommended < 0 or recommended > line.count:
            raise DomainError(
                _("The recommended count must be from 0 to the %(count)s requested (Rules p.7).")
                % {"count": line.count}, field=f"recommended_{line_id}")
    with transaction.atomic(), audited(actor, "generalization_save"):
        gen = _generalization_for(application)
        gen = Generalization.objects.select_for_update().get(pk=gen.pk)
        if gen.version != expected_version:
            raise ConcurrentUpdate()
        for name in Generalization.FACTOR_FIELDS:
            setattr(gen, name, (notes.get(name) or "").strip())
        gen.updated_by = actor
        gen.version += 1
        gen.save()
        for line_id, (recommended, note) in lines.items():
            GeneralizationLine.objects.update_or_create(
                line_id=line_id, defaults={"generalization": gen, "recommended": recommended,
                                           "note": (note or "").strip()})
    return gen


def _late(campaign, name: str) -> bool:
    return not campaign.is_open(name)


def generalization_mark(*, actor, application: Application, late_reason: str = "") -> Generalization:
    """Mark the application generalized (due 10 Oct, Rules p.7). Late is allowed with a reason."""
    permissions.ensure_akimat_officer(actor, application.region_id)
    ensure_filing_closed(application.campaign)  # Rules p.6
    gen = Generalization.objects.filter(application=application).first()
    if gen is None or gen.lines.count() != application.lines.count():
        raise DomainError(_("Record the recommended count for every line first (Rules p.7)."))
    if not all(getattr(gen, name).strip() for name in Generalization.FACTOR_FIELDS):
        raise DomainError(_("Write a note on each of the four factors of Rules p.7."))
    late = _late(application.campaign, "generalization")
    if late and not late_reason.strip():
        raise DomainError(_("The generalization deadline (Rules p.7) has passed: state the reason for the delay."),
                          field="late_reason")
    with transaction.atomic(), audited(actor, "generalization_mark"):
        if application.status == S.SUBMITTED:
            application = transition(application, S.UNDER_REVIEW, actor=actor,
                                      note_key=gettext_noop("Taken under review by the akimat."))
        if application.status != S.UNDER_REVIEW:
            raise DomainError(_("Only an application under review can be marked generalized."))
        gen.generalized_at = timezone.now()
        gen.generalized_by = actor
        gen.generalized_late_reason = late_reason.strip() if late else ""
        gen.version += 1
        gen.save()
    return gen


def generalized_to_commission(*, actor, region, campaign, late_reason: str = "") -> int:
    """Put every generalized application of the region before the Commission (Rules p.8)."""
    permissions.ensure_akimat_officer(actor, region)
    ensure_filing_closed(campaign)  # Rules p.6
    apps = list(Application.objects.filter(region=region, campaign=campaign, status=S.UNDER_REVIEW,
                                           generalization__generalized_at__isnull=False))
    if not apps:
        raise DomainError(_("There are no generalized applications to put before the Commission."))
    late = _late(campaign, "commission")
    if late and not late_reason.strip():
        raise DomainError(_("The deadline of Rules p.8 has passed: state the reason for the delay."),
                          field="late_reason")
    now = timezone.now()
    with transaction.atomic(), audited(actor, "generalized_to_commission"):
        for app in apps:
            # The employer sees this note: the internal late reason stays on the generalization.
            transition(app, S.AT_COMMISSION, actor=actor,
                       note_key=gettext_noop("Put before the Commission (Rules p.8)."))
            Generalization.objects.filter(application=app).update(
                to_commission_at=now, to_commission_late_reason=late_reason.strip() if late else "",
                version=F("version") + 1)
    return len(apps)


# --- the Commission (Rules p.9) ---------------------------------------------------------------

def commission_for(region) -> Commission:
    from .names import default_commission_names

    commission, _created = Commission.objects.get_or_create(region=region, defaults=default_commission_names(region))
    return commission


def commission_update(*, actor, commission: Commission, name: str, quorum: int | None, name_kk: str = "",
                      name_en: str = "") -> Commission:
    """Rename the Commission or set its quorum (empty: a majority of the active members)."""
    permissions.ensure_officer_or_secretary(actor, commission.region_id)
    members = commission.members.filter(is_active=True).count()
    if quorum is not None and (quorum < 1 or (members and quorum > members)):
        raise DomainError(_("The quorum must be from 1 to the number of members (%(n)s).") % {"n": members},
                          field="quorum")
    with transaction.atomic(), audited(actor, "commission_update"):
        commission.name = name.strip() or commission.name
        commission.name_kk = name_kk.strip() or commission.name_kk
        commission.name_en = name_en.strip() or commission.name_en
        commission.quorum = quorum
        commission.save()
    return commission


# What makes a person the chair: changing any of these changes who holds the chair's seat.
CHAIR_SEAT_FIELDS = ("role", "is_active", "user", "full_name")


def _is_chair_seat(role, is_active) -> bool:
    return role == Member.Role.CHAIR and bool(is_active)


def member_save(*, actor, commission: Commission, member: Member | None = None, data: dict) -> Member:
    """Add or change a member of the Commission (Rules p.9).

    The chair's seat (who sits in it, their linked portal user, the role, whether active) is frozen
    while a protocol awaits its second signature: the chair's signature belongs to the person who
    held the seat when the protocol was signed by the other signer. A linked portal user must work
    for this region's akimat as a Commission secretary or member.
    """
    from quota_portal.core.models import User

    permissions.ensure_officer_or_secretary(actor, commission.region_id)
    if member is not None and member.commission_id != commission.pk:
        raise DomainError(_("Unknown member."))
    if data.get("role") == Member.Role.CHAIR and data.get("is_active", True):
        other = commission.members.filter(role=Member.Role.CHAIR, is_active=True)
        if member is not None:
            other = other.exclude(pk=member.pk)
        if other.exists():
            raise DomainError(_("The Commission already has a chair."), field="role")
    user = data.get("user")
    if user is not None:
        if not isinstance(user, User) or not permissions.holds_role(user, commission.region_id,
                                                                     permissions.COMMISSION_ROLES):
            raise DomainError(_("Only a portal user of this region's akimat in the role of Commission secretary "
                                "or member can be linked to a seat."), field="user")
        qs = commission.members.filter(user=user)
        if member is not None:
            qs = qs.exclude(pk=member.pk)
        if qs.exists():
            raise DomainError(_("This portal user is already linked to another member."), field="user")
    with transaction.atomic(), audited(actor, "member_save"):
        # Serialize with session_sign, which locks the same row before reading the chair.
        Commission.objects.select_for_update().get(pk=commission.pk)
        if member is None:
            before = None
            member = Member(commission=commission, region=commission.region)
        else:
            # The form has already written the new values onto the instance: read the seat as stored.
            before = Member.objects.select_for_update().get(pk=member.pk)
        after = {key: data.get(key, getattr(before, key) if before else None) for key in CHAIR_SEAT_FIELDS}
        if "is_active" not in data and before is None:
            after["is_active"] = True
        was_chair = before is not None and _is_chair_seat(before.role, before.is_active)
        is_chair = _is_chair_seat(after["role"], after["is_active"])
        changes_seat = (is_chair and not was_chair) or (was_chair and any(
            (getattr(before, key) if key != "user" else before.user_id)
            != (after[key] if key != "user" else getattr(after[key], "pk", None)) for key in CHAIR_SEAT_FIELDS))
        if changes_seat:
            pending = awaiting_signature(commission).first()
            if pending is not None:
                raise DomainError(
                    _("%(session)s awaits its second signature: the chair's seat cannot change until the "
                      "protocol is signed or the signature is withdrawn.") % {"session": pending},
                    field="user" if was_chair and is_chair else "role", code="chair_frozen")
        for key in ("full_name", "position", "body", "role", "user", "is_active"):
            if key in data:
                setattr(member, key, data[key])
        member.save()
    return member


# --- sessions -------------------------------------------------------------------------------

MAX_SESSION_AHEAD_DAYS = 60


def _put_before_on(applications) -> dt.date | None:
    """The latest day on which any of these applications was put before the Commission (p.8)."""
    latest = (Generalization.objects.filter(application__in=applications, to_commission_at__isnull=False)
              .aggregate(at=Max("to_commission_at"))["at"])
    return timezone.localdate(latest) if latest else None


def _pending_agenda(commission: Commission, campaign):
    taken = AgendaItem.objects.filter(session__commission=commission).values("application_id")
    return (Application.objects.filter(region=commission.region, campaign=campaign, status=S.AT_COMMISSION)
            .exclude(pk__in=taken))


def session_create(*, actor, commission: Commission, campaign, date: dt.date, place: str) -> Session:
    """Set up a session: every active member listed as absent, the agenda filled (Rules p.8-9)."""
    permissions.ensure_secretary(actor, commission.region_id)
    if not commission.members.filter(is_active=True).exists():
        raise DomainError(_("Add the Commission's members first (Rules p.9)."))
    today = timezone.localdate()
    if date > today + dt.timedelta(days=MAX_SESSION_AHEAD_DAYS):
        raise DomainError(ngettext("The session date is too far ahead: set a date within %(days)s day from today.",
                                   "The session date is too far ahead: set a date within %(days)s days from today.",
                                   MAX_SESSION_AHEAD_DAYS) % {"days": MAX_SESSION_AHEAD_DAYS}, field="date")
    put_before = _put_before_on(_pending_agenda(commission, campaign))
    if put_before and date < put_before:
        raise DomainError(_("The session cannot be dated before the applications were put before the "
                            "Commission (%(day)s, Rules p.8).")
                          % {"day": date_format(put_before, "SHORT_DATE_FORMAT")},
                          field="date")
    with transaction.atomic(), audited(actor, "session_create"):
        number = (Session.objects.filter(commission=commission, campaign=campaign)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        session = Session.objects.create(commission=commission, region=commission.region, campaign=campaign,
                                         number=number, date=date, place=place.strip(), created_by=actor)
        Attendance.objects.bulk_create([Attendance(session=session, member=m, present=False)
                                        for m in commission.members.filter(is_active=True)])
        _agenda_fill(session)
    return session


def _agenda_fill(session: Session) -> int:
    """Add the applications put before the Commission on or before the session's day."""
    apps = (_pending_agenda(session.commission, session.campaign)
            .exclude(generalization__to_commission_at__date__gt=session.date)
            .order_by("organization__name", "pk"))
    start = session.items.count()
    items = [AgendaItem(session=session, application=app, region=session.region, position=start + i + 1)
             for i, app in enumerate(apps)]
    AgendaItem.objects.bulk_create(items)
    return len(items)


def _ensure_session_day(session: Session) -> None:
    """Decisions, votes and signatures happen at the session: not before its day (server clock)."""
    if timezone.localdate() < session.date:
        raise DomainError(_("The session is dated %(date)s: decisions, votes and signatures are recorded "
                            "from that day on.") % {"date": date_format(session.date, "SHORT_DATE_FORMAT")},
                          code="before_session")


def _ensure_unsigned(session: Session) -> None:
    """Refuse any change to a session whose protocol has been signed (read fresh from the db)."""
    signed = Session.objects.filter(pk=session.pk).values_list("secretary_signed_at", "chair_signed_at").get()
    if any(signed):
        raise DomainError(_("The protocol has been signed: the session can no longer change. "
                            "Record a correction instead."), code="signed")


def agenda_refresh(*, actor, session: Session) -> int:
    """Add the generalized applications put before the Commission since the session was set up."""
    permissions.ensure_secretary(actor, session.region_id)
    _ensure_unsigned(session)
    with transaction.atomic(), audited(actor, "agenda_refresh"):
        return _agenda_fill(session)


def attendance_set(*, actor, session: Session, present_ids: set[int]) -> None:
    """Record who is present; the votes of a member marked absent are removed."""
    permissions.ensure_secretary(actor, session.region_id)
    _ensure_unsigned(session)
    with transaction.atomic(), audited(actor, "attendance_set"):
        for row in session.attendance.all():
            present = row.member_id in present_ids
            if row.present != present:
                row.present = present
                row.save(update_fields=["present"])
        # A member who is not present cannot have voted.
        Vote.objects.filter(decision__item__session=session, decision__signed_at__isnull=True) \
            .exclude(member_id__in=present_ids).delete()


def conflict_declare(*, actor, item: AgendaItem, member: Member, reason: str) -> ConflictDeclaration:
    """A member sits out the item (conflict of interest). Their vote on it, if any, is removed.
    The secretary records it, or the member declares it themself."""
    permissions.ensure_acts_for_member(actor, item.session, member)
    if member.commission_id != item.session.commission_id:
        raise DomainError(_("Unknown member."), field="member")
    _ensure_unsigned(item.session)
    if not item.session.attendance.filter(member=member, present=True).exists():
        raise DomainError(_("Only a member present at the session declares a conflict of interest on an item."),
                          field="member")
    if not reason.strip():
        raise DomainError(_("State the nature of the conflict of interest."), field="reason")
    with transaction.atomic(), audited(actor, "conflict_declare"):
        declaration, _created = ConflictDeclaration.objects.get_or_create(
            item=item, member=member, defaults={"reason": reason.strip(), "declared_by": actor})
        Vote.objects.filter(decision__item=item, member=member, decision__signed_at__isnull=True).delete()
    return declaration


def quorum_check(item: AgendaItem) -> None:
    """No quorum, no decision: the members taking part in the item must reach the quorum
    (the one rule: selectors.quorum)."""
    q = item_quorum(item)
    if not q.met:
        raise DomainError(
            ngettext("No quorum: %(present)s member can take part in this item, %(needed)s are needed. "
                     "No decision can be taken.",
                     "No quorum: %(present)s members can take part in this item, %(needed)s are needed. "
                     "No decision can be taken.", q.taking_part) % {"present": q.taking_part, "needed": q.needed},
            code="no_quorum")


def _outcome(line_rows) -> str:
    approved = sum(r["approved"] for r in line_rows)
    requested = sum(r["requested"] for r in line_rows)
    if approved == requested:
        return Application.Outcome.APPROVED
    if approved == 0:
        return Application.Outcome.REJECTED
    return Application.Outcome.PARTLY


def _clean_lines(application: Application, lines: dict) -> list[dict]:
    """Check every line: 0..requested; a cut needs a ground of p.10 and a written reason. Every
    line's errors are reported at once (FieldErrors), not the first one only."""
    rows = []
    errors: list[tuple[str, str]] = []
    valid = {g.value for g in Ground}
    for line in application.lines.select_related("occupation"):
        entry = lines.get(line.pk)
        if entry is None:
            errors.append((f"approved_{line.pk}", _("Decide every line of the application.")))
            continue
        approved = entry.get("approved")
        grounds = sorted(set(entry.get("grounds") or []))
        reason = (entry.get("reason") or "").strip()
        if approved is None or approved < 0 or approved > line.count:
            errors.append((f"approved_{line.pk}", _("%(line)s: the approved count must be from 0 to the %(count)s "
                                                    "requested.") % {"line": line.occupation, "count": line.count}))
            continue
        if any(g not in valid for g in grounds):
            errors.append((f"grounds_{line.pk}", _("Unknown ground.")))
            continue
        if approved < line.count:
            if not grounds:
                errors.append((f"grounds_{line.pk}", _(
                    "%(line)s: less than requested is approved, so name at least one ground of "
                    "Rules p.10 (1), (2) or (3).") % {"line": line.occupation}))
            if not reason:
                errors.append((f"reason_{line.pk}", _("%(line)s: write the reason for the cut (Rules p.10).")
                               % {"line": line.occupation}))
        else:
            grounds, reason = [], reason
        rows.append({"line": line, "requested": line.count, "approved": approved, "grounds": grounds,
                     "reason": reason})
    raise_collected(errors)
    return rows


def _check_votes(item: AgendaItem, votes: dict) -> dict:
    voters = {m.pk: m for m in eligible_voters(item)}
    conflicted = set(item.conflicts.values_list("member_id", flat=True))
    out = {}
    for member_id, choice in votes.items():
        if not choice:
            continue
        if member_id in conflicted:
            raise DomainError(_("A member who declared a conflict of interest cannot vote on this item."),
                              field=f"vote_{member_id}", code="conflicted")
        if member_id not in voters:
            raise DomainError(_("Only members present at the session can vote."), field=f"vote_{member_id}")
        if choice not in Vote.Choice.values:
            raise DomainError(_("Unknown vote."), field=f"vote_{member_id}")
        out[member_id] = voters[member_id]
    return out


def decision_record(*, actor, item: AgendaItem, lines: dict, votes: dict | None = None,
                    expected_version: int = 0, all_in_favour: bool = False) -> Decision:
    """Record (or, before the protocol is signed, amend) the Commission's decision on an item.

    `lines`: {line_id: {"approved": int, "grounds": [...], "reason": str}} (Rules p.10);
    `votes`: {member_id: "for"|"against"|"abstain"} recorded by the secretary for members present;
    `expected_version`: the version the form was opened with (0 = no decision yet). A save based
    on an older version is refused with ConcurrentUpdate: one secretary wins, the other is told.
    `all_in_favour`: every member taking part (present, not conflicted) whose vote is not given in
    `votes` is recorded "for"; the votes given are the exceptions.
    """
    session = item.session
    permissions.ensure_secretary(actor, session.region_id)
    _ensure_unsigned(session)
    _ensure_session_day(session)
    application = item.application
    with transaction.atomic(), audited(actor, "decision_record"):
        # Serialize savers of the same item; the version check then tells the loser.
        AgendaItem.objects.select_for_update().get(pk=item.pk)
        decision = current_decision(item)
        if (decision.version if decision else 0) != expected_version:
            raise ConcurrentUpdate()
        if decision is not None and decision.is_signed:
            raise DomainError(_("A signed decision cannot be edited; record a correction."), code="signed")
        quorum_check(item)
        rows = _clean_lines(application, lines)
        votes = {k: v for k, v in (votes or {}).items() if v}
        if all_in_favour:
            for member in eligible_voters(item):
                votes.setdefault(member.pk, Vote.Choice.FOR)
        vote_members = _check_votes(item, votes)
        outcome = _outcome(rows)
        if decision is None:
            decision = Decision.objects.create(
                item=item, application=application, region=application.region,
                organization=application.organization, outcome=outcome, decided_on=session.date,
                supersedes=item.corrects, correction_reason=item.correction_reason,
                recorded_by=actor, version=1)
        else:
            Decision.objects.filter(pk=decision.pk).update(outcome=outcome, decided_on=session.date,
                                                           version=F("version") + 1, updated_at=timezone.now())
            decision.refresh_from_db()
            decision.lines.all().delete()
        LineDecision.objects.bulk_create([
            LineDecision(decision=decision, line=r["line"], requested=r["requested"], approved=r["approved"],
                         grounds=r["grounds"], reason=r["reason"]) for r in rows])
        for member_id, member in vote_members.items():
            Vote.objects.update_or_create(decision=decision, member=member,
                                          defaults={"choice": votes[member_id], "recorded_by": actor})
        # The application stays "at the Commission", with no outcome, until the protocol has both
        # signatures (session_sign): a recorded decision can still change, so the employer sees none.
        _notice_ensure(decision)
    return decision


def vote_cast(*, actor, decision: Decision, member: Member, choice: str) -> Vote:
    """A member's vote on a decision: a member casts only their own vote; the secretary records the
    votes of the members present."""
    permissions.ensure_acts_for_member(actor, decision.item.session, member)
    if member.commission_id != decision.item.session.commission_id:
        raise DomainError(_("Unknown member."), field="member")
    if decision.is_signed:
        raise DomainError(_("A signed decision cannot be edited; record a correction."), code="signed")
    _ensure_unsigned(decision.item.session)
    _ensure_session_day(decision.item.session)
    _check_votes(decision.item, {member.pk: choice})
    with transaction.atomic(), audited(actor, "vote_cast"):
        vote, _created = Vote.objects.update_or_create(decision=decision, member=member,
                                                       defaults={"choice": choice, "recorded_by": actor})
    return vote


def votes_all_in_favour(*, actor, session: Session, items=None) -> int:
    """Record "for" for every member taking part in each item (present at the session and not
    conflicted on it) who has not voted yet: one action for an undisputed item or the whole agenda.
    The votes already given (the exceptions) are kept and stay editable. Items without a decision
    are skipped. Returns the number of votes recorded."""
    permissions.ensure_secretary(actor, session.region_id)
    _ensure_unsigned(session)
    _ensure_session_day(session)
    created = 0
    with transaction.atomic(), audited(actor, "votes_all_in_favour"):
        Session.objects.select_for_update().get(pk=session.pk)
        # Again under the lock: a signature committed while this waited for it closes the session.
        _ensure_unsigned(session)
        chosen = items if items is not None else session.items.all()
        for item in chosen:
            if item.session_id != session.pk:
                raise DomainError(_("Unknown agenda item."))
            decision = current_decision(item)
            if decision is None or decision.is_signed:
                continue
            voted = set(decision.votes.values_list("member_id", flat=True))
            for member in eligible_voters(item):
                if member.pk in voted:
                    continue
                Vote.objects.create(decision=decision, member=member, choice=Vote.Choice.FOR, recorded_by=actor)
                created += 1
    return created


# --- sign-off and notices (Rules p.11) ---------------------------------------------------------

def _notice_ensure(decision: Decision) -> Notice:
    campaign = decision.application.campaign
    due = add_working_days(decision.decided_on, campaign.notice_working_days)
    notice, created = Notice.objects.get_or_create(
        decision=decision, defaults={"application": decision.application, "region": decision.region,
                                     "organization": decision.organization,
                                     "language": decision.organization.language or "ru", "due": due})
    language = decision.organization.language or "ru"
    if not created and (notice.due != due or notice.language != language):
        # The organization may have changed its language of correspondence since the decision.
        notice.due, notice.language = due, language
        notice.save(update_fields=["due", "language"])
    return notice


def session_sign(*, actor, session: Session, as_chair: bool = False, chair_paper_note: str = "") -> Session:
    """Sign the protocol. The secretary (a Commission secretary of the region) signs as secretary;
    the chair signs by logging in (the portal user linked to the active chair's seat). When the
    chair has no portal user, a secretary records the chair's signature on the paper protocol
    with a note, and counts as the one who placed it. The two signatures are always placed by two
    different people, whatever the member list says. On the second signature the decisions become
    final: each application is "decided" with its outcome and each employer gets the written notice
    (Rules p.11)."""
    role = permissions.CHAIR if as_chair else permissions.SECRETARY_SIGNATURE
    permissions.ensure_may_sign_as(actor, session, role, paper_note=chair_paper_note)
    with transaction.atomic(), audited(actor, "session_sign"):
        # The chair's seat is read under the Commission's lock (member_save takes the same one).
        Commission.objects.select_for_update().get(pk=session.commission_id)
        session = Session.objects.select_for_update().get(pk=session.pk)
        how = permissions.ensure_may_sign_as(actor, session, role, paper_note=chair_paper_note)
        if session.is_signed:
            raise DomainError(_("The protocol is already signed."), code="signed")
        _ensure_session_day(session)
        items = list(session.items.select_related("application"))
        if not items:
            raise DomainError(_("The agenda is empty."))
        for item in items:
            decision = current_decision(item)
            if decision is None:
                raise DomainError(_("Application %(app)s has no decision yet.") % {"app": item.application})
            quorum_check(item)
            if not is_adopted(vote_tally(decision.votes.all())):
                raise DomainError(_("The decision on %(app)s has not been adopted: record the votes "
                                    "(more for than against).") % {"app": item.application})
        if session.commission.members.filter(role=Member.Role.CHAIR, is_active=True).first() is None:
            raise DomainError(_("The Commission has no chair: the portal needs one to sign the protocol (the Rules do "
                              "not name a chair)."))
        now = timezone.now()
        if how in (permissions.CHAIR, permissions.CHAIR_FROM_PAPER):
            if session.chair_signed_at:
                raise DomainError(_("The chair has already signed."), code="signed")
            if session.secretary_signed_by_id == actor.pk:
                if how == permissions.CHAIR_FROM_PAPER:
                    raise DomainError(_("The protocol needs the signatures of two different people: you have "
                                        "already signed it as the secretary; another secretary records the "
                                        "chair's signature from the paper protocol."), code="same_signer")
                raise DomainError(_("The protocol needs the signatures of two different people: you have "
                                    "already signed it as the secretary."), code="same_signer")
            session.chair_signed_at, session.chair_signed_by = now, actor
            if how == permissions.CHAIR_FROM_PAPER:
                session.chair_signature_note = chair_paper_note.strip()
        else:
            if session.secretary_signed_at:
                raise DomainError(_("The secretary has already signed."))
            if chair_signer_id(session) == actor.pk:
                raise DomainError(_("The protocol needs the signatures of two different people: you have "
                                    "already signed it as the chair."), code="same_signer")
            session.secretary_signed_at, session.secretary_signed_by = now, actor
        session.save()
        if session.secretary_signed_at and not session.chair_signed_at:
            _notify_chair_to_sign(session)
        if session.is_signed:
            for item in items:
                decision = current_decision(item)
                Decision.objects.filter(pk=decision.pk).update(signed_at=now)
                decision.refresh_from_db()
                application = Application.objects.get(pk=item.application_id)
                if item.is_correction:
                    note = gettext_noop("Decision corrected by the Commission, %(session)s.")
                else:
                    note = gettext_noop("Decision of the Commission, %(session)s.")
                # Only now does the employer see a decision: the protocol can no longer change.
                transition(application, S.DECIDED, actor=actor, outcome=decision.outcome, note_key=note,
                           note_params={"session": session.stored_name()})
                # The second signature orders the notice (Rules p.11), whoever placed it.
                _deliver_notice(_notice_ensure(decision), actor=actor)
    return session


def _notify_chair_to_sign(session: Session) -> None:
    """Tell the chair (the portal user on the active chair's seat), once per protocol, that it
    awaits their signature: in the inbox and by email through the outbox."""
    from django.urls import reverse

    chair = session.commission.members.filter(role=Member.Role.CHAIR, is_active=True).select_related("user").first()
    if chair is None or chair.user is None or not chair.user.is_active:
        return
    notify(event_key=f"commissions.protocol_awaits_chair.{session.pk}", recipients=[chair.user],
           subject=lambda u: _("The protocol of session No. %(number)s awaits your signature") % {
               "number": session.number},
           body=lambda u: _("The secretary has signed the protocol of the Commission's session No. %(number)s of "
                            "%(date)s. It awaits your signature as the chair: the decisions become final and the "
                            "notices go out once you sign.") % {
               "number": session.number, "date": date_format(session.date, "SHORT_DATE_FORMAT")},
           url=reverse("commissions:session", args=[session.pk]))


def session_signature_withdraw(*, actor, session: Session) -> Session:
    """The secretary withdraws their signature before the chair signs (e.g. to fix a decision)."""
    permissions.ensure_secretary(actor, session.region_id)
    with transaction.atomic(), audited(actor, "session_signature_withdraw"):
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.chair_signed_at:
            raise DomainError(_("The chair has signed the protocol: the secretary's signature can no longer "
                                "be withdrawn. Record a correction instead."), code="signed")
        if not session.secretary_signed_at:
            raise DomainError(_("The secretary has not signed the protocol."))
        session.secretary_signed_at, session.secretary_signed_by = None, None
        session.save(update_fields=["secretary_signed_at", "secretary_signed_by"])
    return session


def notice_send(*, actor, notice: Notice) -> Notice:
    """Deliver the notice in the portal and by email with the PDF, once; record the delivery."""
    permissions.ensure_officer_or_secretary(actor, notice.region_id)
    return _deliver_notice(notice, actor=actor)


def _deliver_notice(notice: Notice, *, actor) -> Notice:
    """The delivery itself, with no check of the actor: called by `notice_send`, by `session_sign`
    once the second signature orders the notice, and by the sweep that completes a delivery a crash
    interrupted (a notice of a signed decision left unsent). Idempotent: claimed once."""
    from django.urls import reverse

    if notice.sent_at:
        return notice
    application = notice.application
    decision = notice.decision
    recipients = organization_recipients(notice.organization, purpose=RecipientPurpose.DECISION)
    outcome_label = dict(Decision._meta.get_field("outcome").choices)[decision.outcome]
    with transaction.atomic(), audited(actor, "notice_send"):
        now = timezone.now()
        claimed = Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
            sent_at=now, sent_by=actor, number=f"{notice.region.code[:2]}-{notice.pk:05d}")
        if not claimed:
            return notice
        notify(event_key=f"commissions.notice.{notice.pk}", recipients=recipients,
               subject=lambda u: _("Decision of the Commission on application %(app)s") % {"app": application},
               body=lambda u: _("The Commission has decided on your application %(app)s: %(outcome)s. "
                                "The written notice (Rules p.11) is attached.")
               % {"app": application, "outcome": outcome_label},
               url=reverse("commissions:notice_pdf", args=[notice.pk]),
               attachment_renderer="commissions.pdf.notice_attachment", attachment_object_id=notice.pk)
        application.refresh_from_db()
        if application.status == S.DECIDED:
            transition(application, S.NOTIFIED, actor=actor,
                       note_key=gettext_noop("Written notice sent (Rules p.11)."))
    notice.refresh_from_db()
    return notice


def correction_open(*, actor, decision: Decision, session: Session, reason: str) -> AgendaItem:
    """Put the correction of a signed decision on a session's agenda (the secretary's act, citing
    the old protocol). The Commission then decides it with quorum, votes and sign-off like any
    item; on signature the new decision supersedes the old one and a new notice goes out.
    Both decisions stay in the history."""
    permissions.ensure_secretary(actor, session.region_id)
    if not decision.is_signed:
        raise DomainError(_("An unsigned decision is edited, not corrected."))
    if not reason.strip():
        raise DomainError(_("State the reason for the correction."), field="correction_reason")
    if session.commission_id != decision.item.session.commission_id:
        raise DomainError(_("Choose a session of the same Commission."), field="session")
    if session.date < decision.decided_on:
        raise DomainError(_("The correction is considered at a session not earlier than the decision "
                            "(%(date)s).") % {"date": date_format(decision.decided_on, "SHORT_DATE_FORMAT")},
                          field="session")
    _ensure_unsigned(session)
    with transaction.atomic(), audited(actor, "correction_open"):
        Decision.objects.select_for_update().get(pk=decision.pk)
        if Decision.objects.filter(supersedes=decision).exists() or \
                AgendaItem.objects.filter(corrects=decision).exists():
            raise DomainError(_("A correction of this decision is already on an agenda."), code="concurrent_update")
        if session.items.filter(application_id=decision.application_id).exists():
            raise DomainError(_("This application is already on the session's agenda."), field="session")
        position = (session.items.aggregate(n=Max("position"))["n"] or 0) + 1
        return AgendaItem.objects.create(session=session, application=decision.application, region=session.region,
                                         position=position, corrects=decision, correction_reason=reason.strip())
