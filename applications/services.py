"""State changes of employer applications (Rules p.2, p.6). Every function owns its transaction,
is audited, checks the actor's role, the state and the filing deadline on the server clock."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError, ensure_open
from quota_portal.core.models import Campaign, Category, Occupation, Organization, Region, User
from quota_portal.core.notifications import notify
from quota_portal.core.parsing import INTEGER, MAX_INT, clean_text, parse_int
from quota_portal.core.selectors import RecipientPurpose, organization_recipients

from . import uploads
from .models import (
    MAX_LINE_COUNT,
    MAX_SPECIALTY,
    Application,
    Attachment,
    Line,
    Project,
    RegistrationCounter,
    Version,
)
from .permissions import ensure_employer_editor
from .workflow import transition

S = Application.Status


# --- who may act: applications/permissions.py; every service below checks its actor first -------

def _ensure_draft(application: Application) -> None:
    if application.status != S.DRAFT:
        raise DomainError(
            _("The application is “%(status)s”; only a draft can be changed. Withdraw it first "
              "(possible until the filing deadline, Rules p.6).") % {"status": S(application.status).label},
            code="not_draft")


def _lock(application: Application, expected_revision: int | None = None) -> Application:
    locked = Application.objects.select_for_update().select_related("campaign", "region").get(
        pk=application.pk)
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate()
    return locked


def _bump(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(revision=F("revision") + 1,
                                                                updated_at=timezone.now())
    application.refresh_from_db()


# --- lines: the one validation used by the form, the XLSX import and the service -------------

@dataclass
class LineInput:
    category: str
    occupation_code: str
    count: object
    specialty: str = ""
    row: int | None = None  # spreadsheet row or form index, for error messages


@dataclass
class LineProblem:
    row: int | None
    column: str
    message: str
    field: str = ""


@dataclass
class CheckedLines:
    lines: list[dict] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def parse_count(raw) -> int:
    """A whole number of workers, 1..MAX_LINE_COUNT; raise ValueError(message) otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError(_("Enter the number of workers."))
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        # A spreadsheet's date, time or other typed cell is not a count.
        raise ValueError(_("Enter a whole number of workers."))
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError(_("The number of workers must be a whole number, not %(value)s.") % {"value": raw})
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "").replace("\u00a0", "")
        # Digits 0-9 only ("²" and "٣" are digits to Python, not to a person); a sign is read so that
        # "-3" is told the minimum, and a run of digits beyond any column the maximum.
        number = parse_int(text, min_value=-MAX_INT, max_value=MAX_INT)
        if number is None and INTEGER.fullmatch(text):
            number = MAX_INT
        if number is None:
            raise ValueError(_("The number of workers must be a whole number, not “%(value)s”.")
                             % {"value": raw.strip()[:20]})
        raw = number
    if raw < 1:
        raise ValueError(_("The number of workers must be at least 1 (you entered %(value)s).") % {"value": raw})
    if raw > MAX_LINE_COUNT:
        raise ValueError(_("%(value)s workers in one line is not plausible: the limit is %(max)s; check the "
                           "number.") % {"value": raw, "max": MAX_LINE_COUNT})
    return raw


# The bulk-lines template's columns: a problem names the spreadsheet column by letter and title.
def _column(letter: str, title: str) -> str:
    return f"{letter} ({title})"


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def resolve_occupations(values: set[str], *, keep: frozenset[int] = frozenset()) -> dict[str, Occupation | str]:
    """What each typed occupation value names: a code ("2142"), the autocomplete's label ("2142 Title"),
    or the exact title in the user's language (case and spaces aside). Only occupations offered to
    employers, or those in `keep` (the application's own lines keep theirs). A value that names none,
    or several, maps to an error message."""
    offered = Occupation.objects.filter(is_active=True).filter(
        models.Q(offered_to_employers=True) | models.Q(pk__in=keep))
    values = {v for v in values if v}
    candidates = set(values) | {v.split()[0] for v in values}
    by_code = {o.code: o for o in offered.filter(code__in=candidates)}
    out: dict[str, Occupation | str] = {}
    titles = set()
    for v in values:
        head, _sep, rest = v.partition(" ")
        if v in by_code:
            out[v] = by_code[v]
        elif head in by_code and _normal(rest) in {_normal(by_code[head].name_ru), _normal(by_code[head].name_kk),
                                                   _normal(by_code[head].name_en)}:
            out[v] = by_code[head]
        else:
            titles.add(v)
    if titles:
        field_name = f"name_{(translation.get_language() or 'ru')[:2]}"
        if field_name not in ("name_ru", "name_kk", "name_en"):
            field_name = "name_ru"
        q = models.Q()
        for v in titles:
            q |= models.Q(**{f"{field_name}__iexact": " ".join(v.split())})
        found: dict[str, list[Occupation]] = {}
        for o in offered.filter(q):
            found.setdefault(_normal(getattr(o, field_name)), []).append(o)
        for v in titles:
            matches = found.get(_normal(v), [])
            if len(matches) == 1:
                out[v] = matches[0]
            elif matches:
                out[v] = _("Several occupations are titled “%(value)s”: choose one from the list or type its "
                           "code.") % {"value": v[:60]}
            elif INTEGER.fullmatch(v):
                out[v] = _("Unknown occupation code “%(value)s”: choose an occupation from the classifier.") \
                    % {"value": v[:20]}
            else:
                out[v] = _("No occupation has the code or title “%(value)s”: choose one from the list, or type "
                           "its code or its exact title.") % {"value": v[:60]}
    return out


def check_lines(rows: list[LineInput], *, keep: frozenset[int] = frozenset()) -> CheckedLines:
    """Validate need lines (Annex 1, p.6): category, known occupation, whole count, no duplicates.
    `keep`: occupations already on the application, accepted even if no longer offered to employers."""
    out = CheckedLines()
    occupations = resolve_occupations({str(r.occupation_code or "").strip() for r in rows}, keep=keep)
    categories = dict(Category.choices)
    seen: dict[tuple, int | None] = {}
    for r in rows:
        bad = False
        category = str(r.category or "").strip().upper()
        if category not in categories:
            out.problems.append(LineProblem(r.row, _column("A", _("Category")),
                                            _("Unknown category “%(value)s”: use 1, 2, 3, 4 or S (seasonal).")
                                            % {"value": category[:10]}, "category"))
            bad = True
        code = str(r.occupation_code or "").strip()
        occupation = occupations.get(code)
        if not isinstance(occupation, Occupation):
            out.problems.append(LineProblem(r.row, _column("B", _("Occupation code")),
                                            occupation or _("Choose an occupation."), "occupation"))
            bad = True
        try:
            count = parse_count(r.count)
        except ValueError as exc:
            out.problems.append(LineProblem(r.row, _column("D", _("Number of workers")), str(exc), "count"))
            bad = True
        specialty = clean_text(r.specialty).strip()
        if len(specialty) > MAX_SPECIALTY:
            out.problems.append(LineProblem(
                r.row, _column("C", _("Specialty")),
                ngettext("The specialty is %(length)s character long; the limit is %(max)s.",
                         "The specialty is %(length)s characters long; the limit is %(max)s.", len(specialty))
                % {"length": len(specialty), "max": MAX_SPECIALTY}, "specialty"))
            bad = True
        if bad:
            continue
        key = (category, occupation.pk, specialty.lower())
        if key in seen:
            out.problems.append(LineProblem(
                r.row, _column("B", _("Occupation code")),
                _("The same category and occupation are already in row %(row)s; merge the two rows into one.")
                % {"row": seen[key]}, "occupation"))
            continue
        seen[key] = r.row
        out.lines.append({"category": category, "occupation": occupation, "specialty": specialty,
                          "count": count})
    return out


def line_occupations(application: Application) -> frozenset[int]:
    """The occupations of the application's lines: kept even when no longer offered to employers."""
    return frozenset(Line.objects.filter(application=application).values_list("occupation_id", flat=True))


def _replace_lines(application: Application, lines: list[dict]) -> None:
    Line.objects.filter(application=application).delete()
    Line.objects.bulk_create([
        Line(application=application, position=i, **line) for i, line in enumerate(lines)
    ])


# --- start, save, copy ---------------------------------------------------------------------

def application_start(*, actor: User, organization: Organization, campaign: Campaign, region: Region) -> Application:
    """Open a draft for the campaign in a region where the workers will work (p.6: one per region)."""
    ensure_employer_editor(actor, organization)
    ensure_open(campaign, "filing", "6")
    if not campaign.filing_open:
        raise DomainError(_("Filing for %(campaign)s has not opened yet.") % {"campaign": campaign},
                          field="campaign")
    with transaction.atomic(), audited(actor, "application_start"):
        try:
            with transaction.atomic():
                app = Application.objects.create(organization=organization, campaign=campaign,
                                                       region=region, created_by=actor)
        except IntegrityError:
            raise DomainError(
                _("Your organization already has an application for %(campaign)s in %(region)s; open it "
                  "instead (one application per region, Rules p.6).") % {"campaign": campaign, "region": region},
                field="region", code="duplicate") from None
        from .models import StatusChange

        # Stored untranslated; the timeline translates it for each reader.
        StatusChange.objects.create(application=app, from_status="", to_status=S.DRAFT, actor=actor,
                                    note_key=gettext_noop("Draft started"))
    return app


def application_save_draft(*, actor: User, application: Application, expected_revision: int,
                           current_year_count: int, justification: str, signer_position: str,
                           signer_name: str, lines: list[dict], projects: list[dict]) -> Application:
    """Save the whole Annex 1 form as a draft (lines and projects replaced). Any time before p.6."""
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    with transaction.atomic(), audited(actor, "application_save_draft"):
        app = _lock(application, expected_revision)
        _ensure_draft(app)
        Application.objects.filter(pk=app.pk).update(
            current_year_count=current_year_count, justification=justification,
            signer_position=signer_position, signer_name=signer_name)
        _replace_lines(app, lines)
        Project.objects.filter(application=app).delete()
        Project.objects.bulk_create([
            Project(application=app, name=p["name"], number=p.get("number", ""), date=p.get("date"),
                    counterparty=p.get("counterparty", "")) for p in projects])
        _bump(app)
    return app


def application_replace_lines(*, actor: User, application: Application, rows: list[LineInput]) -> CheckedLines:
    """Replace every need line at once (XLSX import): all rows valid, or nothing changes."""
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    checked = check_lines(rows, keep=line_occupations(application))
    if not rows:
        checked.problems.append(LineProblem(None, "", _("The file has no filled rows.")))
    if checked.problems:
        return checked
    with transaction.atomic(), audited(actor, "application_import_lines"):
        app = _lock(application)
        _ensure_draft(app)
        _replace_lines(app, checked.lines)
        _bump(app)
    return checked


def application_copy(*, actor: User, source: Application, campaign: Campaign) -> Application:
    """Start `campaign`'s application in the same region as a copy of an earlier one."""
    ensure_employer_editor(actor, source.organization_id)
    app = application_start(actor=actor, organization=source.organization, campaign=campaign, region=source.region)
    with transaction.atomic(), audited(actor, "application_copy"):
        Application.objects.filter(pk=app.pk).update(
            copied_from=source, current_year_count=source.current_year_count,
            justification=source.justification, signer_position=source.signer_position,
            signer_name=source.signer_name)
        _replace_lines(app, [{"category": ln.category, "occupation_id": ln.occupation_id,
                              "specialty": ln.specialty, "count": ln.count}
                             for ln in Line.objects.filter(application=source)])
        Project.objects.bulk_create([
            Project(application=app, name=p.name, number=p.number, date=p.date, counterparty=p.counterparty)
            for p in Project.objects.filter(application=source)])
        app.refresh_from_db()
    return app


# --- submission ------------------------------------------------------------------------------

def submission_problems(application: Application) -> list[tuple[str, str]]:
    """What must be fixed before the application can be submitted: [(field, message)]."""
    problems = []
    lines = list(Line.objects.filter(application=application))
    if not lines:
        problems.append(("lines", _("Add at least one need line (category, occupation, number) — Annex 1, "
                                    "columns 3-7.")))
    if not application.justification.strip():
        problems.append(("justification", _("Write the justification naming the projects, contracts and "
                                            "agreements the workers are needed for (Rules p.6).")))
    if not application.signer_position.strip():
        problems.append(("signer_position", _("Enter the position of the head who signs the application.")))
    if not application.signer_name.strip():
        problems.append(("signer_name", _("Enter the full name of the head who signs the application.")))
    return problems


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def snapshot_of(application: Application) -> dict:
    """Everything the employer filed, as plain JSON (frozen into a Version on submission)."""
    org = application.organization
    return {
        "organization": {"bin_iin": org.bin_iin, "name": org.name, "legal_address": org.legal_address},
        "campaign": application.campaign.year,
        "region": {"code": application.region.code, "name_ru": application.region.name_ru,
                   "name_kk": application.region.name_kk},
        "current_year_count": application.current_year_count,
        "justification": application.justification,
        "signer_position": application.signer_position,
        "signer_name": application.signer_name,
        "lines": [
            {"category": ln.category, "occupation": ln.occupation.code, "occupation_ru": ln.occupation.name_ru,
             "occupation_kk": ln.occupation.name_kk, "occupation_en": ln.occupation.name_en,
             "specialty": ln.specialty, "count": ln.count}
            for ln in Line.objects.filter(application=application).select_related("occupation")
        ],
        "projects": [
            {"name": p.name, "number": p.number, "date": p.date.isoformat() if p.date else "",
             "counterparty": p.counterparty}
            for p in Project.objects.filter(application=application)
        ],
        "attachments": [
            {"name": a.original_name, "sha256": a.sha256, "size": a.size, "content_type": a.content_type}
            for a in Attachment.objects.filter(application=application)
        ],
    }


def _next_registration_number(campaign: Campaign, region: Region) -> str:
    """year-KATO-sequence, one sequence per campaign and region; the row lock serializes issuers."""
    RegistrationCounter.objects.get_or_create(campaign=campaign, region=region)
    counter = RegistrationCounter.objects.select_for_update().get(campaign=campaign, region=region)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{campaign.year}-{region.code}-{counter.last:06d}"


# The declaration the signer ticks before "Submit"; its text, in the submitter's language, is kept
# in the version's snapshot (and so in its fingerprint).
DECLARATION = gettext_lazy("I declare that the information in this application and its attachments is true and "
                           "complete, and that I am entitled to submit it on behalf of the organization.")


def application_submit(*, actor: User, application: Application, expected_revision: int,
                       declaration: str | None = None) -> Version:
    """Submit the draft (p.6): server time, immutable snapshot with SHA-256, registration number.
    `declaration`: the text the submitter confirmed (the form's checkbox); the standard one by default.

    The row lock plus the revision check make a double click produce exactly one submission.
    """
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    with transaction.atomic(), audited(actor, "application_submit"):
        app = _lock(application, expected_revision)
        _ensure_draft(app)
        ensure_open(app.campaign, "filing", "6")
        problems = submission_problems(app)
        if problems:
            raise DomainError(" ".join(m for _f, m in problems), field=problems[0][0], code="incomplete")
        now = timezone.now()
        number = app.registration_number or _next_registration_number(app.campaign, app.region)
        snapshot = snapshot_of(app)
        snapshot.update({"registration_number": number, "submitted_at": now.isoformat(),
                         "declaration": str(declaration or DECLARATION)})
        version_no = Version.objects.filter(application=app).count() + 1
        snapshot["version"] = version_no
        version = Version.objects.create(
            application=app, number=version_no, registration_number=number, snapshot=snapshot,
            sha256=hashlib.sha256(canonical_json(snapshot)).hexdigest(), submitted_at=now, submitted_by=actor)
        transition(app, S.SUBMITTED, actor=actor, expected_revision=app.revision,
                   note=f"{number} · v{version_no}",
                   registration_number=number, submitted_at=now, withdraw_reason="")
        _notify_receipt(app, version)
    application.refresh_from_db()
    return version


def _notify_receipt(app: Application, version: Version) -> None:
    recipients = organization_recipients(app.organization_id, purpose=RecipientPurpose.FILING)
    number, year = version.registration_number, app.campaign.year
    notify(
        event_key=f"applications.receipt.{version.pk}", recipients=recipients,
        subject=lambda u: _("Application %(number)s received") % {"number": number},
        body=lambda u: _("Your application for the %(year)s quota (version %(n)s) was received on %(at)s "
                         "(Astana time). Document fingerprint: %(sha)s. The receipt is attached.")
        % {"year": year, "n": version.number,
           "at": date_format(timezone.localtime(version.submitted_at), "d.m.Y H:i:s"), "sha": version.sha256},
        url=reverse("applications:receipt", args=[app.pk, version.number]),
        attachment_renderer="applications.exports.receipt_attachment", attachment_object_id=version.pk,
    )


def application_withdraw(*, actor: User, application: Application, reason: str,
                         expected_revision: int) -> Application:
    """Take a submitted application back to draft before the filing deadline; the reason is kept.
    `expected_revision` is required: a withdrawal that does not say which revision it saw is refused."""
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for withdrawing the application."), field="reason")
    if type(expected_revision) is not int:
        raise ConcurrentUpdate()
    with transaction.atomic(), audited(actor, "application_withdraw"):
        app = _lock(application, expected_revision)
        if app.status != S.SUBMITTED:
            raise DomainError(_("Only a submitted application can be withdrawn."), code="not_submitted")
        transition(app, S.DRAFT, actor=actor, note=reason, expected_revision=app.revision,
                   withdraw_reason=reason)
    application.refresh_from_db()
    return application


# --- attachments ------------------------------------------------------------------------------

def attachment_add(*, actor: User, application: Application, name: str, content: bytes) -> Attachment:
    """Attach a supporting document: checked by content, 10 MB each, 50 MB per application."""
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    checked = uploads.check_upload(name, content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic(), audited(actor, "attachment_add"):
        app = _lock(application)
        _ensure_draft(app)
        used = sum(Attachment.objects.filter(application=app).values_list("size", flat=True))
        if used + len(content) > uploads.MAX_APPLICATION_SIZE:
            raise DomainError(
                _("Attachments of one application may total 50 MB; %(used)s MB are used and this file has "
                  "%(size)s MB. Remove a file or compress this one.")
                % {"used": round(used / 1024 / 1024, 1), "size": round(len(content) / 1024 / 1024, 1)},
                field="file", code="too_big_total")
        att = Attachment(application=app, original_name=checked.name, content_type=checked.content_type,
                         size=len(content), sha256=digest, uploaded_by=actor)
        att.file.save(digest, ContentFile(content), save=False)
        att.save()
        _bump(app)
    return att


def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove a supporting document from a draft."""
    application = attachment.application
    ensure_employer_editor(actor, application.organization_id)
    ensure_open(application.campaign, "filing", "6")
    with transaction.atomic(), audited(actor, "attachment_remove"):
        app = _lock(application)
        _ensure_draft(app)
        Attachment.objects.filter(pk=attachment.pk).delete()
        _bump(app)
