"""Views of the Annex 1 filing: access helper, form, service, redirect."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from quota_portal.core import registry
from quota_portal.core.access import employer_editor_required, employer_required, get_scoped_or_404, role_required
from quota_portal.core.audit import history_for
from quota_portal.core.downloads import attachment_response
from quota_portal.core.errors import DeadlinePassed, DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import AKIMAT_ROLES, EMPLOYER_ROLES, MINISTRY_ROLES
from quota_portal.core.parsing import MAX_INT, parse_id, parse_int
from quota_portal.core.selectors import campaigns_open_for_filing

from . import exports, selectors, services, uploads
from .forms import (
    ApplicationForm,
    AttachmentForm,
    CopyForm,
    LineFormSet,
    LinesUploadForm,
    ProjectFormSet,
    StartForm,
    SubmitForm,
    WithdrawForm,
)
from .models import Application, Attachment, Line, Project, Version
from .permissions import EDITOR_ROLES

# The organization reads and changes its own; the region's akimat and the ministry read (scoping decides).
reader_required = role_required(EMPLOYER_ROLES | AKIMAT_ROLES | MINISTRY_ROLES)


def _app(request, pk: int) -> Application:
    return get_scoped_or_404(Application.objects.select_related("organization", "campaign", "region"), pk=pk)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return attachment_response(content, filename=filename, content_type=content_type)


@employer_required
def application_list(request):
    apps = selectors.organization_applications(organization_id=request.membership.organization_id)
    return render(request, "applications/list.html", {"apps": apps, "open_campaigns": campaigns_open_for_filing()})


@employer_editor_required
def application_start(request):
    campaigns = campaigns_open_for_filing()
    form = StartForm(request.POST or None, campaigns=campaigns)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_start(actor=request.user, organization=request.membership.organization,
                                             **form.cleaned_data)
        except DomainError as exc:
            if exc.code == "duplicate":
                # One application per region (p.6): lead the employer to the one that exists.
                existing = Application.objects.filter(organization=request.membership.organization,
                                                      **form.cleaned_data).first()
            add_domain_error(form, exc)
        else:
            return redirect("applications:edit", app.pk)
    return render(request, "applications/start.html", {"form": form, "campaigns": campaigns, "existing": existing})


@reader_required
def application_detail(request, pk: int):
    app = _app(request, pk)
    context = {
        "app": app,
        "lines": selectors.application_lines(application=app),
        "projects": list(Project.objects.filter(application=app)),
        "attachments": list(Attachment.objects.filter(application=app)),
        "versions": list(Version.objects.filter(application=app).order_by("number")),
        "timeline": selectors.timeline(application=app, for_employer=request.membership.is_employer),
        "history": _history(request, app),
        "can_edit": _can_edit(request),
        "withdraw_form": WithdrawForm(initial={"revision": app.revision}),
        # What later stages show here (the Commission's decision): registered page blocks.
        "blocks": registry.page_blocks("application_detail", request, app),
        "copy_form": None,
    }
    taken = set(Application.objects.filter(organization=app.organization, region=app.region)
                .values_list("campaign_id", flat=True))
    later = [c for c in campaigns_open_for_filing() if c.year > app.campaign.year and c.pk not in taken]
    if later and context["can_edit"] and request.membership.is_employer:
        context["copy_form"] = CopyForm(campaigns=later)
    return render(request, "applications/detail.html", context)


def _history(request, app: Application) -> list[dict]:
    """The audit history; an employer sees an authority's staff only as "the authorized body"."""
    history = history_for(app)
    if not request.membership.is_employer:
        return history
    from quota_portal.core.models import Membership

    own = set(Membership.objects.filter(organization_id=app.organization_id).values_list("user_id", flat=True))
    for ev in history:
        user = ev.get("user")
        if user is not None and getattr(user, "pk", None) not in own:
            ev["user"] = _("The authorized body")
    return history


def _can_edit(request) -> bool:
    m = request.membership
    return m is not None and m.role in EDITOR_ROLES


def _initial_lines(app):
    return [{"category": ln.category, "occupation": ln.occupation.code, "specialty": ln.specialty,
             "count": ln.count} for ln in Line.objects.filter(application=app).select_related("occupation")]


def _lines_total(lines) -> int:
    """The total of the Number column as the form shows it (static/js/applications.js keeps it live)."""
    total = 0
    for form in lines.forms:
        if lines.is_bound and form["DELETE"].value():
            continue
        total += parse_int(str(form["count"].value() or ""), min_value=0, max_value=MAX_INT) or 0
    return total


def _initial_projects(app):
    return [{"name": p.name, "number": p.number, "date": p.date, "counterparty": p.counterparty}
            for p in Project.objects.filter(application=app)]


@employer_editor_required
def application_edit(request, pk: int):
    """The Annex 1 form: save a draft at any moment; a refused save keeps everything typed.

    Attaching a file, uploading lines and removing an attachment are buttons of the same form: the
    typed data is saved as the draft first, so nothing typed is lost by using them.
    """
    app = _app(request, pk)
    if request.method != "POST" and not app.is_editable:
        # A POST is still checked by the service, so that a refused save keeps what was typed.
        _refuse_change(request, app)
        return redirect("applications:detail", app.pk)
    attachment_form, upload_form = AttachmentForm(prefix="attachment"), LinesUploadForm(prefix="upload")
    for f in (attachment_form, upload_form):
        f.fields["file"].required = False  # optional parts of the one edit form: no "required" mark
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=app)
        lines = LineFormSet(request.POST, prefix="lines")
        lines.keep_occupations = services.line_occupations(app)
        projects = ProjectFormSet(request.POST, prefix="projects")
        if form.is_valid() and lines.is_valid() and projects.is_valid():
            d = form.cleaned_data
            try:
                services.application_save_draft(
                    actor=request.user, application=app, expected_revision=d["revision"],
                    current_year_count=d["current_year_count"], justification=d["justification"],
                    signer_position=d["signer_position"], signer_name=d["signer_name"], lines=lines.lines,
                    projects=[p.cleaned_data for p in projects.forms
                              if p.has_changed() and not p.cleaned_data.get("DELETE")
                              and p.cleaned_data.get("name")])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                response = _after_save(request, app)
                if response.status_code == 302:
                    # Not on the upload-errors page: a green "saved" beside a red "not loaded" reads as
                    # a contradiction; that page says in plain words what was saved.
                    messages.success(request, _("Draft saved."))
                return response
        # Otherwise the error summary at the top of the page lists every error (base.html).
        if request.FILES:
            messages.warning(request, _("The chosen file was not processed because the draft could not be "
                                        "saved; correct the form and choose the file again."))
    else:
        form = ApplicationForm(instance=app, initial={"revision": app.revision})
        lines = LineFormSet(prefix="lines", initial=_initial_lines(app))
        projects = ProjectFormSet(prefix="projects", initial=_initial_projects(app))
    return render(request, "applications/edit.html", {
        "app": app, "form": form, "lines": lines, "projects": projects, "lines_total": _lines_total(lines),
        "attachments": list(Attachment.objects.filter(application=app)),
        "attachment_form": attachment_form, "upload_form": upload_form,
    })


def _after_save(request, app: Application):
    """The edit form's other buttons, run once the typed data is safely saved as the draft."""
    app.refresh_from_db()
    action = request.POST.get("action", "save")
    remove = parse_id(action.removeprefix("remove-")) if action.startswith("remove-") else None
    if remove is not None:
        attachment = get_scoped_or_404(Attachment, pk=remove, application=app)
        try:
            services.attachment_remove(actor=request.user, attachment=attachment)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The document “%(name)s” was removed.") % {"name": attachment.original_name})
    if request.FILES.get("attachment-file"):
        _attach(request, app, request.FILES["attachment-file"])
    elif action == "attach":
        messages.error(request, _("Choose a file to attach."))
    if request.FILES.get("upload-file"):
        problems = _upload_lines(request, app, request.FILES["upload-file"])
        if problems:
            return render(request, "applications/upload_errors.html", {"app": app, "problems": problems})
    elif action == "upload":
        messages.error(request, _("Choose the filled XLSX template to upload."))
    if action == "review":
        return redirect("applications:review", app.pk)
    return redirect("applications:edit", app.pk)


def _refuse_change(request, app: Application) -> None:
    """Why this application cannot be changed: the deadline (p.6) or its status."""
    if app.campaign.is_open("filing"):
        messages.error(request, _("The application is “%(status)s”; only a draft can be changed. Withdraw it first "
                                  "(possible until the filing deadline, Rules p.6).")
                       % {"status": app.get_display_status_display()})
    else:
        messages.error(request, DeadlinePassed(app.campaign, "filing", "6").message)


@employer_required
def application_review(request, pk: int):
    """"Check your answers": the filled form, what is missing, and the self-check (p.10)."""
    app = _app(request, pk)
    return render(request, "applications/review.html", {
        "app": app,
        "lines": selectors.application_lines(application=app),
        "projects": list(Project.objects.filter(application=app)),
        "attachments": list(Attachment.objects.filter(application=app)),
        "problems": services.submission_problems(app),
        # The self-check's items come from the later stages (violations, labour market: p.10).
        "blocks": registry.page_blocks("application_review", request, app),
        "form": SubmitForm(initial={"revision": app.revision}),
        "can_edit": _can_edit(request),
    })


@require_POST
@employer_editor_required
def application_submit(request, pk: int):
    app = _app(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        if "revision" in form.errors:
            raise Http404
        messages.error(request, form.errors["declaration"][0])
        return redirect("applications:review", app.pk)
    try:
        version = services.application_submit(actor=request.user, application=app,
                                              expected_revision=form.cleaned_data["revision"],
                                              declaration=str(services.DECLARATION))
    except DomainError as exc:
        app.refresh_from_db()
        if exc.code == "concurrent_update" and app.status == Application.Status.SUBMITTED:
            # A second click of the same submission: show the receipt of the first.
            return redirect("applications:receipt", app.pk, app.versions.order_by("-number").first().number)
        messages.error(request, exc.message)
        return redirect("applications:review", app.pk)
    return redirect("applications:receipt", app.pk, version.number)


@reader_required
def receipt(request, pk: int, number: int):
    app = _app(request, pk)
    version = get_scoped_or_404(Version, application=app, number=number)
    return render(request, "applications/receipt.html", {"app": app, "version": version})


@reader_required
def receipt_pdf(request, pk: int, number: int):
    app = _app(request, pk)
    version = get_scoped_or_404(Version, application=app, number=number)
    return _download(exports.receipt_pdf(version), f"receipt-{version.registration_number}-v{number}.pdf",
                     "application/pdf")


@employer_editor_required
def application_withdraw(request, pk: int):
    app = _app(request, pk)
    form = WithdrawForm(request.POST or None, initial={"revision": app.revision})
    if app.filing_closed:
        # After the deadline nothing can be withdrawn: say so at once, with no form to fill in vain.
        return render(request, "applications/withdraw.html", {
            "app": app, "form": None, "refusal": DeadlinePassed(app.campaign, "filing", "6").message})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(actor=request.user, application=app, reason=form.cleaned_data["reason"],
                                          expected_revision=form.cleaned_data["revision"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The application was withdrawn and is a draft again; change it and "
                                        "submit it before the deadline."))
            return redirect("applications:edit", app.pk)
    return render(request, "applications/withdraw.html", {"app": app, "form": form})


@reader_required
def version_detail(request, pk: int, number: int):
    app = _app(request, pk)
    version = get_scoped_or_404(Version, application=app, number=number)
    versions = list(Version.objects.filter(application=app).order_by("number"))
    compare = None
    other_no = parse_int(request.GET.get("compare"), min_value=1)
    if other_no is not None:
        other = next((v for v in versions if v.number == other_no), None)
        if other is not None:
            old, new = (other, version) if other.number < version.number else (version, other)
            compare = {"old": old, "new": new, "diff": selectors.version_diff(old.snapshot, new.snapshot)}
    return render(request, "applications/version.html", {"app": app, "version": version, "versions": versions,
                                                          "compare": compare, "snap": version.snapshot})


@reader_required
def annex1_pdf(request, pk: int):
    app = _app(request, pk)
    return _download(exports.annex1_pdf(app), f"annex1-{app.registration_number or app.pk}.pdf", "application/pdf")


@reader_required
def annex1_xlsx(request, pk: int):
    app = _app(request, pk)
    return _download(exports.annex1_xlsx(app), f"annex1-{app.registration_number or app.pk}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@employer_required
def lines_template(request, pk: int):
    app = _app(request, pk)
    return _download(exports.lines_template_xlsx(app), f"lines-{app.pk}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _upload_lines(request, app: Application, f) -> list:
    """Replace the lines from the filled template; the bad rows, or [] when loaded (or refused whole)."""
    try:
        rows = exports.parse_lines_xlsx(f.name, f.read())
        checked = services.application_replace_lines(actor=request.user, application=app, rows=rows)
    except DomainError as exc:
        messages.error(request, exc.message)
        return []
    if not checked.problems:
        messages.success(request, ngettext("%(n)s line was loaded from the file and replaces the previous lines.",
                                           "%(n)s lines were loaded from the file and replace the previous lines.",
                                           len(checked.lines)) % {"n": len(checked.lines)})
    return checked.problems


def _attach(request, app: Application, f) -> None:
    if f.size > 10 * 1024 * 1024:
        messages.error(request, _("The file “%(name)s” is larger than 10 MB, the limit per file.") % {"name": f.name})
        return
    try:
        services.attachment_add(actor=request.user, application=app, name=f.name, content=f.read())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document “%(name)s” was attached.") % {"name": f.name})


@require_POST
@employer_editor_required
def lines_upload(request, pk: int):
    """All rows valid -> the lines are replaced; otherwise nothing changes and every bad row is listed."""
    app = _app(request, pk)
    form = LinesUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the filled XLSX template to upload."))
        return redirect("applications:edit", app.pk)
    problems = _upload_lines(request, app, form.cleaned_data["file"])
    if not problems:
        return redirect("applications:edit", app.pk)
    return render(request, "applications/upload_errors.html", {"app": app, "problems": problems}, status=200)


@require_POST
@employer_editor_required
def attachment_add(request, pk: int):
    app = _app(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _attach(request, app, form.cleaned_data["file"])
    else:
        unsafe = form.has_error("file", code="unsafe_name")
        messages.error(request, form.errors["file"][0] if unsafe else _("Choose a file to attach."))
    return redirect("applications:edit", app.pk)


@require_POST
@employer_editor_required
def attachment_remove(request, pk: int, att: int):
    app = _app(request, pk)
    attachment = get_scoped_or_404(Attachment, pk=att, application=app)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("applications:edit", app.pk)


@reader_required
def attachment_download(request, pk: int, att: int):
    """Served only through here (never from MEDIA_URL), as a download, to the scope's readers."""
    app = _app(request, pk)
    attachment = get_scoped_or_404(Attachment, pk=att, application=app)
    return attachment_response(attachment.file.open("rb"), filename=attachment.original_name,
                               content_type=attachment.content_type,
                               extension=uploads.ALLOWED.get(attachment.content_type))


@require_POST
@employer_editor_required
def application_copy(request, pk: int):
    app = _app(request, pk)
    later = [c for c in campaigns_open_for_filing() if c.year > app.campaign.year]
    form = CopyForm(request.POST, campaigns=later)
    if not form.is_valid():
        messages.error(request, _("Filing for a later year is not open."))
        return redirect("applications:detail", app.pk)
    try:
        new = services.application_copy(actor=request.user, source=app, campaign=form.cleaned_data["campaign"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("applications:detail", app.pk)
    messages.success(request, _("A new draft was created as a copy; check every line before submitting."))
    return redirect("applications:edit", new.pk)


@login_required
def occupation_search(request):
    """JSON for the occupation autocomplete: code or title (ru/kk/en) — public reference data."""
    rows = selectors.search_occupations(request.GET.get("q", ""))
    return JsonResponse({"results": [{"code": o.code, "name": o.name, "label": f"{o.code} {o.name}"}
                                     for o in rows]})
