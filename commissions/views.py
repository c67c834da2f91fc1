"""Views of the akimat review and the Commission. Short: access helper, form, service, redirect."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.models import Application, Attachment, Project
from quota_portal.core.access import (
    akimat_officer_required,
    akimat_required,
    commission_required,
    get_scoped_or_404,
    role_required,
    secretary_required,
)
from quota_portal.core.audit import history_for
from quota_portal.core.campaign_switch import chosen_campaign
from quota_portal.core.downloads import attachment_response
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.exports import export_response
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import AKIMAT_ROLES, EMPLOYER_ROLES, Category, Occupation, Role
from quota_portal.core.parsing import MAX_INT, clean_text, parse_id, parse_int

from . import exports, pdf, permissions, selectors, services, xlsx
from .forms import (
    CommissionForm,
    ConflictForm,
    FigureForm,
    FigureImportForm,
    LateReasonForm,
    MemberForm,
    RemedyForm,
    SessionForm,
    SignForm,
    ViolationForm,
)
from .models import (
    BY_AGREEMENT_BODIES,
    REQUIRED_BODIES,
    AgendaItem,
    Body,
    Decision,
    Ground,
    LabourMarketFigure,
    Member,
    Notice,
    Session,
    Violation,
    Vote,
)

ROLE_ORDER = {Member.Role.CHAIR: 0, Member.Role.SECRETARY: 1, Member.Role.MEMBER: 2}
officer_or_secretary = role_required({Role.AKIMAT_OFFICER, Role.COMMISSION_SECRETARY})
notice_readers = role_required(AKIMAT_ROLES | EMPLOYER_ROLES)


def _region(request):
    return request.membership.authority.region


# --- inbox and review (Rules p.7) -------------------------------------------------------------

INBOX_PAGE_SIZE = 50


def _campaign(request):
    """The quota year the akimat page shows (core/campaign_switch.py): ?campaign=<year>, kept in
    the session, else the working campaign."""
    return chosen_campaign(request)[0]


_inbox_campaign = chosen_campaign


def _inbox_filters(request) -> dict:
    return {k: request.GET.get(k, "") for k in ("status", "category", "occupation", "employer")}


@akimat_required
def inbox(request):
    region = _region(request)
    campaign, campaigns = _inbox_campaign(request)
    filters = _inbox_filters(request)
    qs = selectors.inbox(region=region, campaign=campaign, filters=filters)
    # A region files hundreds of applications: list a page, count and total over all of them.
    page = Paginator(qs, INBOX_PAGE_SIZE).get_page(parse_int(request.GET.get("page"), min_value=1) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "commissions/inbox.html", {
        "campaign": campaign, "applications": page.object_list, "page": page, "query": query.urlencode(),
        "filters": filters,
        "totals": selectors.totals_by_category(qs, filters), "requested_total": selectors.requested_total(qs),
        "statuses": [s for s in Application.Status.choices if s[0] in selectors.REVIEW_STATUSES],
        "outcomes": Application.Outcome.choices,
        "categories": Category.choices, "region": region,
        "generalized_waiting": selectors.generalized_waiting(region=region, campaign=campaign),
        "generalization_late": not campaign.is_open("generalization"),
        "commission_late": not campaign.is_open("commission"),
        "campaigns": campaigns,
        # Rules p.6: while filing is open the employer may amend or withdraw; the inbox only reads.
        "filing_open": campaign.is_open("filing"),
        "filing_closes": campaign.closes_at("filing"),
    })


@akimat_required
def inbox_export(request, fmt: str):
    """The inbox's applications, as filtered, in XLSX or CSV: every page, not only the one shown."""
    campaign, _campaigns = _inbox_campaign(request)
    exporter = exports.InboxExporter(region=_region(request), campaign=campaign, filters=_inbox_filters(request))
    return export_response(fmt, exporter)


def _line_rows(application, data=None):
    lines = list(application.lines.select_related("occupation"))
    figures = selectors.figures_for(region=application.region, campaign=application.campaign,
                                    occupations=[line.occupation_id for line in lines])
    gen_lines = {g.line_id: g for g in selectors.generalization_lines(application)}
    rows = []
    for line in lines:
        gl = gen_lines.get(line.pk)
        rows.append({
            "line": line, "figure": figures.get(line.occupation_id),
            "recommended": (data or {}).get(f"recommended_{line.pk}",
                                             gl.recommended if gl else line.count),
            "note": (data or {}).get(f"note_{line.pk}", gl.note if gl else ""),
        })
    return rows


@akimat_required
def review(request, pk: int):
    application = get_scoped_or_404(Application.objects.select_related("organization", "campaign", "region"), pk=pk)
    generalization = selectors.generalization_of(application)
    data = request.POST if request.method == "POST" else None
    status = 200
    page_errors = []
    if data is not None:
        if request.membership.role != Role.AKIMAT_OFFICER:
            raise Http404
        try:
            # The version the form was opened with: without it the save cannot be checked against
            # someone else's, so a missing or malformed one is a conflict, never a pass.
            expected = parse_int(data.get("version"), min_value=0, max_value=MAX_INT)
            if expected is None:
                raise ConcurrentUpdate()
            lines = {}
            for line in application.lines.all():
                recommended = parse_int(data.get(f"recommended_{line.pk}"), min_value=0, max_value=MAX_INT)
                if recommended is None:
                    raise DomainError(_("Enter the recommended count as a whole number (Rules p.7)."),
                                      field=f"recommended_{line.pk}")
                lines[line.pk] = (recommended, clean_text(data.get(f"note_{line.pk}", "")))
            services.generalization_save(
                actor=request.user, application=application,
                notes={k: clean_text(data.get(k, "")) for k in ("note_demand", "note_forecast", "note_domestic",
                                                                "note_effectiveness")},
                lines=lines, expected_version=expected)
            if data.get("mark"):
                services.generalization_mark(actor=request.user, application=application,
                                             late_reason=clean_text(data.get("late_reason", "")))
                messages.success(request, _("The application is marked generalized."))
            else:
                messages.success(request, _("Generalization saved."))
            return redirect("commissions:review", pk=application.pk)
        except DomainError as error:
            error_field = error.field
            if error_field:  # in the error summary, linked to its field (base.html)
                page_errors = [(error_field, error.message)]
            else:
                messages.error(request, error.message)
            if error.code == "concurrent_update":
                status = 409
    else:
        error_field = None
    filing_open = application.campaign.is_open("filing")
    notes = {k: (data.get(k, "") if data is not None else getattr(generalization, k, ""))
             for k in ("note_demand", "note_forecast", "note_domestic", "note_effectiveness")}
    return render(request, "commissions/review.html", {
        "application": application, "generalization": generalization, "line_rows": _line_rows(application, data),
        "notes": notes, "error_field": error_field, "late_reason": (data or {}).get("late_reason", ""),
        "page_errors": page_errors,
        "effectiveness": selectors.effectiveness(application=application),
        "violations": selectors.application_open_violations(application=application),
        "warnings": selectors.labour_market_warnings(application=application),
        "generalization_late": not application.campaign.is_open("generalization"),
        "can_edit": (request.membership.role == Role.AKIMAT_OFFICER and not filing_open
                     and application.status in (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW)),
        "filing_open": filing_open, "filing_closes": application.campaign.closes_at("filing"),
        # A refused save keeps the version it was based on: only a reload takes the newer one.
        "version": data.get("version", "") if data is not None else (generalization.version if generalization else 0),
        "decisions": selectors.decisions_of(application),
        # The employer's documents, read-only: the Annex 1 as filed, its attachments, the projects and
        # contracts the need serves, and the signer (Rules p.6).
        "projects": list(Project.objects.filter(application=application).order_by("pk")),
        "attachments": list(Attachment.objects.filter(application=application).order_by("pk")),
        "history": history_for(application),
    }, status=status)


@require_POST
@akimat_officer_required
def to_commission(request):
    form = LateReasonForm(request.POST)
    form.is_valid()
    try:
        n = services.generalized_to_commission(actor=request.user, region=_region(request),
                                               campaign=_campaign(request),
                                               late_reason=form.cleaned_data.get("late_reason", ""))
        messages.success(request, ngettext("%(n)s application put before the Commission.",
                                           "%(n)s applications put before the Commission.", n) % {"n": n})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:inbox")


# --- labour market (Rules p.7(1)-(3)) -------------------------------------------------------------

@akimat_required
def figures(request):
    region, (campaign, campaigns) = _region(request), chosen_campaign(request)
    rows = LabourMarketFigure.objects.filter(region=region, campaign=campaign).select_related("occupation")
    return render(request, "commissions/figures.html", {
        "figures": rows, "campaign": campaign, "campaigns": campaigns, "import_form": FigureImportForm(),
        "can_edit": request.membership.role == Role.AKIMAT_OFFICER,
        "fields": [LabourMarketFigure._meta.get_field(n) for n in LabourMarketFigure.NUMBER_FIELDS],
    })


@akimat_officer_required
def figure_edit(request, pk: int | None = None):
    region, campaign = _region(request), _campaign(request)
    instance = get_scoped_or_404(LabourMarketFigure, pk=pk) if pk else None
    form = FigureForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_save(actor=request.user, region=region,
                                 campaign=instance.campaign if instance else campaign,
                                 occupation=form.cleaned_data["occupation"], values=form.cleaned_data)
            messages.success(request, _("Labour-market figures saved."))
            return redirect("commissions:figures")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "commissions/form.html", {"form": form, "title": _("Labour-market figures (Rules p.7)"),
                                                     "back": "commissions:figures"})


@akimat_required
def figures_template(request):
    region, campaign = _region(request), _campaign(request)
    return export_response("xlsx", exports.FiguresExporter(region=region, campaign=campaign), exports.FIGURES_LAYOUT)


@akimat_officer_required
def figures_import(request):
    region, campaign = _region(request), _campaign(request)
    form = FigureImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors = xlsx.parse_figures(form.cleaned_data["file"])
        if not errors:
            n = services.figures_import(actor=request.user, region=region, campaign=campaign, rows=rows)
            messages.success(request, ngettext("%(n)s row imported.", "%(n)s rows imported.", n) % {"n": n})
            return redirect("commissions:figures")
        messages.error(request, _("Nothing was imported: fix the rows listed and upload the file again."))
    return render(request, "commissions/figures_import.html", {"form": form, "errors": errors})


# --- violations (Rules p.10(2), (3)) ---------------------------------------------------------------

@akimat_required
def violations(request):
    form = ViolationForm(request.POST or None)
    if request.method == "POST":
        if request.membership.role != Role.AKIMAT_OFFICER:
            raise Http404
        if form.is_valid():
            try:
                services.violation_record(actor=request.user, region=_region(request), **form.cleaned_data)
                messages.success(request, _("Violation recorded."))
                return redirect("commissions:violations")
            except DomainError as error:
                add_domain_error(form, error)
    campaign, campaigns = chosen_campaign(request)
    years = selectors.violation_years(campaign)
    # Rules p.10(2), (3): the violations that count for the chosen quota year (previous or current year).
    rows = Violation.objects.filter(region=_region(request), year__in=years).select_related("organization")
    return render(request, "commissions/violations.html", {
        "violations": rows, "form": form, "can_edit": request.membership.role == Role.AKIMAT_OFFICER,
        "years": years, "campaign": campaign, "campaigns": campaigns})


@akimat_officer_required
def violation_edit(request, pk: int):
    violation = get_scoped_or_404(Violation, pk=pk)
    form = RemedyForm(request.POST or None, instance=violation)
    if request.method == "POST" and form.is_valid():
        try:
            services.violation_update(actor=request.user, violation=get_scoped_or_404(Violation, pk=pk),
                                      **form.cleaned_data)
            messages.success(request, _("Violation updated."))
            return redirect("commissions:violations")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "commissions/form.html", {"form": form, "title": str(violation),
                                                     "back": "commissions:violations"})


# --- the Commission (Rules p.9) ---------------------------------------------------------------------

@akimat_required
def commission(request):
    commission = services.commission_for(_region(request))
    form = CommissionForm(request.POST or None, instance=commission)
    can_edit = request.membership.role in (Role.AKIMAT_OFFICER, Role.COMMISSION_SECRETARY)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.commission_update(actor=request.user, commission=services.commission_for(_region(request)),
                                           name=form.cleaned_data["name"], name_kk=form.cleaned_data["name_kk"],
                                           name_en=form.cleaned_data["name_en"], quorum=form.cleaned_data["quorum"])
                messages.success(request, _("Saved."))
                return redirect("commissions:commission")
            except DomainError as error:
                add_domain_error(form, error)
    members = sorted(commission.members.select_related("user"),
                     key=lambda m: (not m.is_active, ROLE_ORDER[m.role], m.full_name))
    present = {m.body for m in members if m.is_active}
    return render(request, "commissions/commission.html", {
        "commission": commission, "members": members, "form": form, "can_edit": can_edit,
        "missing": [Body(b).label for b in REQUIRED_BODIES if b not in present],
        "by_agreement_absent": [Body(b).label for b in BY_AGREEMENT_BODIES if b not in present],
        "has_chair": any(m.role == Member.Role.CHAIR and m.is_active for m in members),
        "has_secretary": any(m.role == Member.Role.SECRETARY and m.is_active for m in members),
        "quorum": commission.quorum_needed(sum(1 for m in members if m.is_active)),
        "history": selectors.member_history(commission),
        "awaiting": selectors.awaiting_signature(commission).first(),
    })


@officer_or_secretary
def member_edit(request, pk: int | None = None):
    commission = services.commission_for(_region(request))
    member = get_scoped_or_404(Member, pk=pk) if pk else None
    form = MemberForm(request.POST or None, instance=member, region=_region(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(actor=request.user, commission=commission, member=member, data=form.cleaned_data)
            messages.success(request, _("Member saved."))
            return redirect("commissions:commission")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "commissions/form.html", {"form": form, "title": _("Commission member"),
                                                     "back": "commissions:commission"})


# --- sessions ---------------------------------------------------------------------------------------

@commission_required
def sessions(request):
    commission = services.commission_for(_region(request))
    campaign, campaigns = chosen_campaign(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if request.membership.role != Role.COMMISSION_SECRETARY:
            raise Http404
        if form.is_valid():
            try:
                session = services.session_create(actor=request.user, commission=commission,
                                                  campaign=_campaign(request), **form.cleaned_data)
                return redirect("commissions:session", pk=session.pk)
            except DomainError as error:
                add_domain_error(form, error)
    rows = Session.objects.filter(commission=commission, campaign=campaign).select_related("campaign")
    return render(request, "commissions/sessions.html", {
        "sessions": rows, "form": form, "can_create": request.membership.role == Role.COMMISSION_SECRETARY,
        "campaign": campaign, "campaigns": campaigns})


@commission_required
def session(request, pk: int):
    session = get_scoped_or_404(Session.objects.select_related("commission", "campaign"), pk=pk)
    ctx = selectors.session_page(session=session, user=request.user, role=request.membership.role)
    return render(request, "commissions/session.html", ctx)


@require_POST
@secretary_required
def session_attendance(request, pk: int):
    session = get_scoped_or_404(Session, pk=pk)
    present = {pk for pk in map(parse_id, request.POST.getlist("present")) if pk is not None}
    try:
        services.attendance_set(actor=request.user, session=session, present_ids=present)
        messages.success(request, _("Attendance saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=pk)


@require_POST
@secretary_required
def session_agenda_refresh(request, pk: int):
    session = get_scoped_or_404(Session, pk=pk)
    try:
        n = services.agenda_refresh(actor=request.user, session=session)
        messages.success(request, ngettext("%(n)s application added to the agenda.",
                                           "%(n)s applications added to the agenda.", n) % {"n": n})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=pk)


@require_POST
@commission_required
def session_sign(request, pk: int):
    session = get_scoped_or_404(Session, pk=pk)
    form = SignForm(request.POST)
    form.is_valid()
    role = request.membership.role
    as_chair = permissions.signature_role(session, request.user) == "chair" or form.cleaned_data.get("as_chair")
    if role != Role.COMMISSION_SECRETARY and not (
            as_chair and permissions.signature_role(session, request.user) == "chair"):
        raise Http404
    try:
        session = services.session_sign(actor=request.user, session=session, as_chair=bool(as_chair),
                                        chair_paper_note=form.cleaned_data.get("chair_paper_note", ""))
        if session.is_signed:
            messages.success(request, _("The protocol is signed: the decisions are final and the notices are sent."))
        elif session.secretary_signed_at:
            messages.success(request, _("Signed by the secretary, awaiting the chair's signature."))
        else:
            messages.success(request, _("Signed by the chair, awaiting the secretary's signature."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=pk)


@require_POST
@secretary_required
def session_unsign(request, pk: int):
    session = get_scoped_or_404(Session, pk=pk)
    try:
        services.session_signature_withdraw(actor=request.user, session=session)
        messages.success(request, _("The secretary's signature is withdrawn: the session can be edited again."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=pk)


@commission_required
def protocol_pdf(request, pk: int):
    session = get_scoped_or_404(Session, pk=pk)
    return attachment_response(pdf.protocol_pdf(session), filename=f"protocol-{session.campaign.year}-"
                               f"{session.number}.pdf", content_type="application/pdf", inline=True)


def _decision_input(application, data) -> tuple[dict, list[tuple[str, str]]]:
    """The lines as typed, and the errors of what is not a number (reported with the service's)."""
    lines, errors = {}, []
    for line in application.lines.all():
        # A negative count is read, so that the service says what the range is (Rules p.10).
        approved = parse_int(data.get(f"approved_{line.pk}"), min_value=-MAX_INT, max_value=MAX_INT)
        if approved is None:
            errors.append((f"approved_{line.pk}", _("Enter the approved count as a whole number.")))
        lines[line.pk] = {"approved": approved, "grounds": data.getlist(f"grounds_{line.pk}"),
                          "reason": clean_text(data.get(f"reason_{line.pk}", ""))}
    return lines, errors


def _merge_field_errors(first: list[tuple[str, str]], error: DomainError) -> list[tuple[str, str]]:
    """`first` (the view's parsing errors) and the service's, one message per field, in form order."""
    taken = {field for field, _message in first}
    rest = [(f, m) for f, m in (getattr(error, "errors", None) or []) if f not in taken]
    return first + rest


@secretary_required
def decision(request, pk: int):
    item = get_scoped_or_404(AgendaItem.objects.select_related("session__commission", "application__organization"),
                             pk=pk)
    if item.session.secretary_signed_at or item.session.chair_signed_at:
        messages.error(request, _("The protocol has been signed: the session can no longer change. "
                                  "Record a correction instead."))
        return redirect("commissions:session", pk=item.session_id)
    error = None
    field_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        # A missing or malformed version is a conflict, not "no decision yet".
        version = parse_int(request.POST.get("version"), min_value=0, max_value=MAX_INT)
        lines, field_errors = _decision_input(item.application, request.POST)
        try:
            votes = {parse_id(k.removeprefix("vote_")): v for k, v in request.POST.items() if k.startswith("vote_")}
            votes.pop(None, None)
            services.decision_record(actor=request.user, item=item, lines=lines, votes=votes,
                                     expected_version=-1 if version is None else version,
                                     all_in_favour=bool(request.POST.get("all_in_favour")))
            messages.success(request, _("Decision recorded."))
            return redirect("commissions:session", pk=item.session_id)
        except DomainError as exc:
            error = exc
            if exc.field and exc.field.startswith(("approved_", "grounds_", "reason_")):
                # Every line's errors at once, in the error summary and beside each field.
                field_errors = _merge_field_errors(field_errors, exc)
                if not getattr(exc, "errors", None) and (exc.field, exc.message) not in field_errors:
                    field_errors.append((exc.field, exc.message))
            else:
                messages.error(request, exc.message)
    ctx = selectors.decision_form(item=item, data=request.POST if request.method == "POST" else None)
    by_field = dict(reversed(field_errors))
    for row in ctx["rows"]:
        pk_ = row["line"].pk
        row["errors"] = {kind: by_field.get(f"{kind}_{pk_}") for kind in ("approved", "grounds", "reason")}
    ctx["totals"] = {"requested": sum(row["line"].count for row in ctx["rows"]),
                     "approved": sum(parse_int(str(row["approved"]), min_value=0, max_value=MAX_INT) or 0
                                     for row in ctx["rows"])}
    ctx["error_field"] = field_errors[0][0] if field_errors else (error.field if error else None)
    ctx["page_errors"] = [(_field_anchor(field), message) for field, message in field_errors]
    return render(request, "commissions/decision.html", ctx,
                  status=409 if error and error.code == "concurrent_update" else 200)


def _field_anchor(field: str) -> str:
    """The id a hand-made form gives its field `field` (a group of checkboxes: its first box)."""
    return f"id_{field}_0" if field.startswith("grounds_") else f"id_{field}"


@require_POST
@secretary_required
def session_all_in_favour(request, pk: int):
    """"All present members in favour": for one item (`item`) or the whole agenda, in one action."""
    session = get_scoped_or_404(Session, pk=pk)
    items = None
    if request.POST.get("item"):
        items = [get_scoped_or_404(AgendaItem, pk=parse_id(request.POST.get("item")), session=session)]
    try:
        n = services.votes_all_in_favour(actor=request.user, session=session, items=items)
        messages.success(request, ngettext("%(n)s vote in favour recorded; change the exceptions below.",
                                           "%(n)s votes in favour recorded; change the exceptions below.", n)
                         % {"n": n})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=pk)


def _ensure_acts_for(request, session, member) -> None:
    """A member votes and declares a conflict only for themself, the secretary for any member: the
    rule the services apply (permissions.ensure_acts_for_member); here anyone else gets the 404 of
    "not yours"."""
    try:
        permissions.ensure_acts_for_member(request.user, session, member)
    except DomainError:
        raise Http404 from None


@require_POST
@commission_required
def conflict(request, pk: int):
    item = get_scoped_or_404(AgendaItem.objects.select_related("session__commission"), pk=pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State the nature of the conflict of interest."))
        return redirect("commissions:session", pk=item.session_id)
    member = get_scoped_or_404(Member, pk=form.cleaned_data["member"])
    _ensure_acts_for(request, item.session, member)
    try:
        services.conflict_declare(actor=request.user, item=item, member=member, reason=form.cleaned_data["reason"])
        messages.success(request, _("The conflict of interest is recorded: the member sits out this item."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=item.session_id)


@require_POST
@commission_required
def vote(request, pk: int):
    decision = get_scoped_or_404(Decision.objects.select_related("item__session"), pk=pk)
    member = get_scoped_or_404(Member, pk=parse_id(request.POST.get("member")))
    _ensure_acts_for(request, decision.item.session, member)
    try:
        services.vote_cast(actor=request.user, decision=decision, member=member, choice=request.POST.get("choice", ""))
        messages.success(request, _("Vote recorded."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("commissions:session", pk=decision.item.session_id)


@secretary_required
def decision_correct(request, pk: int):
    """Put the correction of a signed decision on an unsigned session's agenda. The Rules provide no
    procedure for correcting a decision: this is the portal's, and it cites no point of them."""
    decision = get_scoped_or_404(Decision.objects.select_related("item__session", "application__organization"), pk=pk)
    if not decision.is_signed:
        raise Http404
    sessions = list(selectors.correction_sessions(decision))
    session_id = request.POST.get("session", "")
    reason = clean_text(request.POST.get("correction_reason", ""))
    error_field, page_errors = None, []
    if request.method == "POST":
        try:
            target = next((s for s in sessions if str(s.pk) == session_id), None)
            if target is None:
                raise DomainError(_("Choose the session at which the Commission considers the correction."),
                                  field="session")
            item = services.correction_open(actor=request.user, decision=decision, session=target, reason=reason)
            messages.success(request, _("The correction is on the agenda: record the Commission's decision, "
                                        "the votes and sign the protocol."))
            return redirect("commissions:session", pk=item.session_id)
        except DomainError as error:
            error_field = error.field
            if error_field:  # in the error summary, linked to its field (base.html)
                page_errors = [(error_field, error.message)]
            else:
                messages.error(request, error.message)
    return render(request, "commissions/correction.html", {
        "decision": decision, "application": decision.application, "old_session": decision.item.session,
        "sessions": sessions, "session_id": session_id, "correction_reason": reason, "error_field": error_field,
        "page_errors": page_errors,
    })


# --- notices (Rules p.11) ----------------------------------------------------------------------------

@akimat_required
def notices(request):
    campaign, campaigns = chosen_campaign(request)
    rows = list(Notice.objects.filter(region=_region(request), application__campaign=campaign)
                .select_related("organization", "application", "decision").order_by("-due", "pk"))
    deliveries = selectors.notice_deliveries(rows)
    for n in rows:
        n.delivery = deliveries[n.pk]
    return render(request, "commissions/notices.html", {"notices": rows, "campaign": campaign,
                                                        "campaigns": campaigns})


@notice_readers
def notice_pdf(request, pk: int):
    notice = get_scoped_or_404(Notice.objects.select_related("decision__item__session__commission", "application",
                                                            "organization", "region__akimat"), pk=pk)
    if request.membership.is_employer and not notice.sent_at:
        raise Http404
    return attachment_response(pdf.notice_pdf(notice), filename=pdf.notice_filename(notice),
                               content_type="application/pdf", inline=True)


_unused = (Ground, Occupation, Vote)
