"""Pages of the regional submission: the akimat officer's /allocation/submissions/<year>/ (Annexes
2-4: draft, reconciliation, p.15 need, p.17 forecasts, sending, versions, files) and the Ministry's
read-only /ministry/submissions/<year>/<region>/ (versions, diffs, files). Everyone else: 404."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application
from quota_portal.core.access import akimat_officer_required, get_scoped_or_404, ministry_required
from quota_portal.core.downloads import attachment_response
from quota_portal.core.errors import DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import Campaign

from . import submission_selectors as selectors
from . import submissions as services
from .models import RegionalSubmission, SubmissionExclusion, SubmissionFile, SubmissionStatus, SubmissionVersion
from .submission_forms import (
    CountryForecastForm,
    CoveringForm,
    ExclusionForm,
    FileRequestForm,
    LabourImmigrantsForm,
    SendForm,
)

DRAFT_ROWS_SHOWN = 200
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf"}


def _campaign(year) -> Campaign:
    try:
        return Campaign.objects.get(year=int(year))
    except (Campaign.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such campaign.") from None


def _submission(request, year) -> RegionalSubmission:
    campaign = _campaign(year)
    return services.submission_get_or_create(actor=request.user, campaign=campaign,
                                             region=request.membership.authority.region)


def _page(request, submission, *, forms=None, status=200):
    campaign, region = submission.campaign, submission.region
    rows = selectors.annex2_draft_rows(campaign=campaign, region=region)
    exclusions = {e.application_id: e for e in selectors.exclusions_of(submission)}
    undecided = list(selectors.undecided_applications(campaign=campaign, region=region))
    versions = list(selectors.versions_of(submission))
    treaty = list(selectors.treaty_countries())
    forecasts = {f.country_id: f for f in submission.country_forecasts.all()}
    forms = forms or {}
    li_initial = {f: getattr(submission, f) for f in services.LI_FIELDS}
    li_late, late = not campaign.is_open("labour_immigrants"), not campaign.is_open("submission")
    context = {
        "submission": submission, "campaign": campaign, "region": region, "show_lines": True,
        "rows": rows[:DRAFT_ROWS_SHOWN], "rows_hidden": max(0, len(rows) - DRAFT_ROWS_SHOWN),
        "totals": selectors.rows_totals(rows),
        "reconciliation": selectors.reconciliation(campaign=campaign, region=region, rows=rows),
        "undecided": [{"app": a, "exclusion": exclusions.get(a.pk),
                       "form": forms.get(f"exclude-{a.pk}") or ExclusionForm(initial={"application": a.pk})}
                      for a in undecided],
        "blocking": [a for a in undecided if a.pk not in exclusions],
        "covering_form": forms.get("covering") or CoveringForm(initial={
            "covering_justification": submission.covering_justification, "revision": submission.revision}),
        "li_form": forms.get("li") or LabourImmigrantsForm(initial={**li_initial, "revision": submission.revision},
                                                           late=li_late),
        "li_late": li_late,
        "countries": [{"country": c, "forecast": forecasts.get(c.pk),
                       "form": forms.get(f"country-{c.pk}") or CountryForecastForm(initial={
                           "country": c.pk, **({f: getattr(forecasts[c.pk], f) for f in services.FORECAST_FIELDS}
                                               if c.pk in forecasts else {})})} for c in treaty],
        "send_form": forms.get("send") or SendForm(initial={"revision": submission.revision},
                                                   late=late, resend=bool(versions)),
        "late": late, "versions": versions, "latest": versions[-1] if versions else None,
        "status": selectors.status_of(submission, versions),
        "status_label": SubmissionStatus(selectors.status_of(submission, versions)).label,
    }
    # A refused form of a row the page does not show (a crafted application or country id) still
    # reaches the page's error summary, which lists the forms found in the context.
    shown = {"covering", "li", "send", *(f"exclude-{a.pk}" for a in undecided),
             *(f"country-{c.pk}" for c in treaty)}
    context |= {f"refused_{i}": form for i, (key, form) in enumerate(forms.items()) if key not in shown}
    return render(request, "allocation/submission.html", context, status=status)


@akimat_officer_required
def submissions(request):
    """The campaign the akimat works on."""
    from quota_portal.core.selectors import working_campaign

    campaign = working_campaign()
    if campaign is None:
        raise Http404("No campaign.")
    return redirect("allocation:submission", year=campaign.year)


@akimat_officer_required
def submission(request, year):
    return _page(request, _submission(request, year))


def _post(request, year, key, form_class, call, *, form_kwargs=None):
    submission = _submission(request, year)
    form = form_class(request.POST, **(form_kwargs(submission) if form_kwargs else {}))
    if form.is_valid():
        try:
            call(submission, form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("allocation:submission", year=submission.campaign.year)
    return _page(request, submission, forms={key(form) if callable(key) else key: form}, status=400)


@akimat_officer_required
@require_POST
def covering(request, year):
    return _post(request, year, "covering", CoveringForm, lambda s, d: services.submission_update_covering(
        actor=request.user, submission=s, covering_justification=d["covering_justification"],
        revision=d["revision"]))


@akimat_officer_required
@require_POST
def exclude(request, year):
    def call(s, d):
        app = get_scoped_or_404(Application, pk=d["application"])
        services.submission_exclude(actor=request.user, submission=s, application=app, reason=d["reason"])
    return _post(request, year, lambda f: f"exclude-{f.data.get('application', '')}", ExclusionForm, call)


@akimat_officer_required
@require_POST
def unexclude(request, year, pk):
    submission = _submission(request, year)
    exclusion = get_scoped_or_404(SubmissionExclusion, pk=pk, submission=submission)
    services.submission_unexclude(actor=request.user, submission=submission, exclusion=exclusion)
    return redirect("allocation:submission", year=submission.campaign.year)


@akimat_officer_required
@require_POST
def labour_immigrants(request, year):
    return _post(request, year, "li", LabourImmigrantsForm, lambda s, d: services.labour_immigrants_update(
        actor=request.user, submission=s, data=d, revision=d["revision"], late_reason=d.get("late_reason", "")),
        form_kwargs=lambda s: {"late": not s.campaign.is_open("labour_immigrants")})


@akimat_officer_required
@require_POST
def country_forecast(request, year):
    def call(s, d):
        country = selectors.treaty_countries().filter(pk=d["country"]).first()
        if country is None:
            raise DomainError(_("The Ministry records no ratified labour-migration treaty with this country "
                                "(Rules p.17)."))
        services.country_forecast_save(actor=request.user, submission=s, country=country, data=d)
    return _post(request, year, lambda f: f"country-{f.data.get('country', '')}", CountryForecastForm, call)


@akimat_officer_required
@require_POST
def send(request, year):
    submission = _submission(request, year)
    form = SendForm(request.POST, late=not submission.campaign.is_open("submission"),
                    resend=selectors.versions_of(submission).exists())
    if form.is_valid():
        d = form.cleaned_data
        try:
            version = services.submission_send(actor=request.user, submission=submission, reason=d.get("reason", ""),
                                               late_reason=d.get("late_reason", ""), revision=d["revision"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The three annexes were sent to the Ministry (version %(n)s).") % {
                "n": version.number})
            return redirect("allocation:submission_version", year=submission.campaign.year, number=version.number)
    return _page(request, submission, forms={"send": form}, status=400)


# --- versions, diffs and files (the akimat and the Ministry) --------------------------------------

def _version_page(request, version: SubmissionVersion, *, ministry: bool):
    previous = SubmissionVersion.objects.filter(submission_id=version.submission_id,
                                                number=version.number - 1).first()
    versions = list(SubmissionVersion.objects.filter(submission_id=version.submission_id).order_by("number"))
    files = {(f.annex, f.format, f.language): f for f in version.files.all()}
    return render(request, "allocation/submission_version.html", {
        "version": version, "campaign": version.campaign, "region": version.region, "ministry": ministry,
        "versions": versions, "diff": selectors.version_diff(previous, version) if previous else None,
        "exclusions": list(version.exclusions.all()),
        "annex4_rows": list(version.annex4_rows.order_by("position")),
        "rows": list(version.annex2_rows.order_by("position")[:DRAFT_ROWS_SHOWN]),
        "totals": {"current_year_count": version.total_current_year, "cat1": version.total_cat1,
                   "cat2": version.total_cat2, "cat3": version.total_cat3, "cat4": version.total_cat4,
                   "seasonal": version.total_seasonal},
        "rows_hidden": max(0, version.annex2_rows.count() - DRAFT_ROWS_SHOWN),
        "file_grid": [{"annex": a, "cells": [{"fmt": fmt, "language": lang, "file": files.get((a, fmt, lang))}
                                             for fmt in ("xlsx", "pdf") for lang in ("ru", "kk")]}
                      for a in ("2", "3", "4")],
    })


def _akimat_version(request, year, number) -> SubmissionVersion:
    return get_scoped_or_404(SubmissionVersion.objects.select_related("campaign", "region", "sent_by"),
                             campaign__year=year, region=request.membership.authority.region, number=number)


def _ministry_version(year, code, number) -> SubmissionVersion:
    return get_scoped_or_404(SubmissionVersion.objects.select_related("campaign", "region", "sent_by"),
                             campaign__year=year, region__code=code, number=number)


@akimat_officer_required
def version(request, year, number):
    return _version_page(request, _akimat_version(request, year, number), ministry=False)


@ministry_required
def ministry_version(request, year, code, number):
    return _version_page(request, _ministry_version(year, code, number), ministry=True)


@ministry_required
def ministry_region(request, year, code):
    """The Ministry's page of a region's versions is the national view's (sessions, organizations
    and the versions with their diffs): this older address leads there."""
    return redirect("national:region", year=year, code=code)


def _file_request(request, version, back):
    form = FileRequestForm(request.POST)
    if not form.is_valid():
        raise Http404("No such file.")
    d = form.cleaned_data
    try:
        services.submission_file_request(actor=request.user, version=version, annex=d["annex"], fmt=d["fmt"],
                                         language=d["language"])
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back)


@akimat_officer_required
@require_POST
def file_request(request, year, number):
    version = _akimat_version(request, year, number)
    return _file_request(request, version, request.path.rsplit("files/", 1)[0])


@ministry_required
@require_POST
def ministry_file_request(request, year, code, number):
    version = _ministry_version(year, code, number)
    return _file_request(request, version, request.path.rsplit("files/", 1)[0])


def file_status(request, pk):
    file = get_scoped_or_404(SubmissionFile, pk=pk)
    return render(request, "allocation/_submission_file.html",
                  {"file": file, "ministry": request.membership.is_ministry})


def file_download(request, pk):
    file = get_scoped_or_404(SubmissionFile.objects.select_related("version__campaign", "version__region"), pk=pk,
                             status=SubmissionFile.Status.DONE)
    v = file.version
    name = f"annex{file.annex}-{v.region.code}-{v.campaign.year}-v{v.number}-{file.language}.{file.format}"
    with file.file.open("rb") as fh:
        content = fh.read()
    return attachment_response(content, filename=name, content_type=CONTENT_TYPES[file.format], extension=file.format)


file_status_akimat = akimat_officer_required(file_status)
file_download_akimat = akimat_officer_required(file_download)
file_status_ministry = ministry_required(file_status)
file_download_ministry = ministry_required(file_download)

