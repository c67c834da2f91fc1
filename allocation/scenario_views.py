"""The Ministry's quota workspace under /ministry/quota/<year>/ (Rules p.4, p.18-20): the labour force,
the national picture against last year, the scenarios (live recompute without a reload, a chart,
side-by-side comparison) and "propose this scenario". The analyst edits; the approver reads. Anyone
else gets 404 (role decorators) and the scoped managers keep other tenants out.
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from quota_portal.core import registry
from quota_portal.core.access import get_scoped_or_404, ministry_required, role_required
from quota_portal.core.errors import DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import Campaign, Role
from quota_portal.core.parsing import parse_id
from quota_portal.core.selectors import working_campaign

from . import scenario_services as services
from .quota_compute import ScenarioInputs, compute, national_picture, scenario_inputs
from .quota_models import Distribution, DistributionStatus, LabourForce, Scenario
from .scenario_forms import (
    AdjustmentFormSet,
    LabourForceForm,
    LabourForceImportForm,
    ProposeForm,
    RevisionForm,
    ScenarioForm,
    adjustment_initial,
    scenario_initial,
)
from .scenario_labour import ImportErrors, parse_labour_force, template_csv
from .scenario_tables import compare_context, percent_text, picture_context, results_context

analyst_required = role_required({Role.MINISTRY_ANALYST})
S = DistributionStatus
MAX_COMPARED = 6
# What a new scenario starts from (the 2026 percentage; the analyst changes it).
NEW_INPUTS = ScenarioInputs(permits_percent=Decimal("0.25"))


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


def _is_analyst(request) -> bool:
    return request.membership is not None and request.membership.role == Role.MINISTRY_ANALYST


def _scenario(campaign, pk) -> Scenario:
    return get_scoped_or_404(Scenario.objects.filter(campaign=campaign).select_related("campaign", "created_by"),
                             pk=pk)


def _pending(campaign) -> Distribution | None:
    """The campaign's latest proposal that is not withdrawn (pending, approved, declined or published)."""
    return (Distribution.objects.filter(campaign=campaign, previous__isnull=True)
            .exclude(status=S.WITHDRAWN).select_related("scenario", "proposed_by").order_by("-pk").first())


@ministry_required
def home(request):
    """The scenarios of the campaign being worked on (filing closed: the regions' annexes come in)."""
    campaign = working_campaign()
    if campaign is None:
        raise Http404("No campaign.")
    return redirect("quota:scenarios", campaign.year)


# --- labour force ---------------------------------------------------------------------------------

def _labour_page(request, campaign, form, import_form, import_errors=(), status=200):
    figures = list(LabourForce.objects.filter(campaign=campaign).select_related("region", "entered_by")
                   .order_by("region__name_ru"))
    figures.sort(key=lambda lf: lf.region_id is not None)
    return render(request, "allocation/scenarios/labour_force.html", {
        "campaign": campaign, "figures": figures, "form": form, "import_form": import_form,
        "import_errors": import_errors, "can_edit": _is_analyst(request),
        "years": Campaign.objects.order_by("-year")}, status=status)


@ministry_required
def labour_force(request, year: int):
    campaign = _campaign(year)
    form = LabourForceForm()
    if request.method == "POST":
        if not _is_analyst(request):
            return HttpResponse(status=403)
        form = LabourForceForm(request.POST)
        if form.is_valid():
            try:
                services.labour_force_save(actor=request.user, campaign=campaign, rows=[form.row()])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The labour force is recorded."))
                return redirect("quota:labour_force", year)
    return _labour_page(request, campaign, form, LabourForceImportForm())


@analyst_required
def labour_force_import(request, year: int):
    campaign = _campaign(year)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    import_form = LabourForceImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            rows = parse_labour_force(upload.name, upload.read())
            services.labour_force_save(actor=request.user, campaign=campaign, rows=rows,
                                       action="labour_force_import")
        except ImportErrors as exc:
            errors = exc.messages
        except DomainError as exc:
            errors = [m for _f, m in getattr(exc, "errors", None) or [(exc.field, exc.message)]]
        else:
            messages.success(request, _("The file is imported: %(n)s figures recorded.") % {"n": len(rows)})
            return redirect("quota:labour_force", year)
    return _labour_page(request, campaign, LabourForceForm(), import_form, errors, status=400 if errors else 200)


@ministry_required
def labour_force_template(request, year: int):
    _campaign(year)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="labour-force.csv"'
    return response


# --- the national picture -------------------------------------------------------------------------

@ministry_required
def picture(request, year: int):
    campaign = _campaign(year)
    p = national_picture(campaign)
    return render(request, "allocation/scenarios/picture.html", {
        "campaign": campaign, "years": Campaign.objects.order_by("-year"), **picture_context(p)})


# --- scenarios ------------------------------------------------------------------------------------

@ministry_required
def scenarios(request, year: int):
    campaign = _campaign(year)
    items = list(Scenario.objects.filter(campaign=campaign).select_related("created_by")
                 .prefetch_related("adjustments").order_by("pk"))
    p = national_picture(campaign)
    for s in items:
        s.percent = percent_text(s.permits_percent)
        try:
            s.figures = compute(scenario_inputs(s), p)
        except DomainError as exc:
            s.figures, s.problem = None, exc.message
    return render(request, "allocation/scenarios/list.html", {
        "campaign": campaign, "scenarios": items, "years": Campaign.objects.order_by("-year"),
        "can_edit": _is_analyst(request), "pending": _pending(campaign), "picture": p,
        # The other parts' links on this page (redistribution and use, opening the next campaign).
        "blocks": registry.page_blocks("ministry_quota", request, campaign)})


def _forms(request, scenario=None):
    if request.method == "POST":
        return ScenarioForm(request.POST), AdjustmentFormSet(request.POST, prefix="adj")
    if scenario is None:
        return (ScenarioForm(initial={"method": "webster", "reserve": 0,
                                      "permits_percent": percent_text(NEW_INPUTS.permits_percent),
                                      "countries_percent": "0", "immigrants_percent": "0"}),
                AdjustmentFormSet(prefix="adj"))
    return (ScenarioForm(initial=scenario_initial(scenario)),
            AdjustmentFormSet(prefix="adj", initial=adjustment_initial(scenario)))


def _evaluate(campaign, form, adjustments, picture_=None):
    """(figures, inputs) of a valid form, or (None, None) with the errors added to the forms."""
    if not (form.is_valid() and adjustments.is_valid()):
        return None, None
    data = form.scenario_data(adjustments)
    try:
        figures = services.check_scenario(campaign, data, picture_)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None, None
    return figures, data.inputs


def _editor(request, campaign, form, adjustments, scenario=None, status=200):
    p = national_picture(campaign)
    figures, inputs = _evaluate(campaign, form, adjustments, p) if form.is_bound else (None, None)
    if not form.is_bound:
        inputs = scenario_inputs(scenario) if scenario is not None else NEW_INPUTS
        try:
            figures = compute(inputs, p)
        except DomainError as exc:
            form.add_error(None, exc.message)
    pending = _pending(campaign)
    return render(request, "allocation/scenarios/edit.html", {
        "campaign": campaign, "scenario": scenario, "form": form, "adjustments": adjustments,
        "can_edit": _is_analyst(request), "pending": pending, "propose_form": ProposeForm(),
        "can_propose": _is_analyst(request) and scenario is not None and (
            pending is None or pending.status in (S.DECLINED, S.WITHDRAWN)),
        "preview_url": reverse("quota:scenario_preview", args=[campaign.year]),
        **results_context(figures, p, inputs)}, status=status)


@analyst_required
def scenario_new(request, year: int):
    campaign = _campaign(year)
    form, adjustments = _forms(request)
    if request.method == "POST" and form.is_valid() and adjustments.is_valid():
        try:
            scenario = services.scenario_create(actor=request.user, campaign=campaign,
                                                data=form.scenario_data(adjustments))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The scenario is saved."))
            return redirect("quota:scenario", year, scenario.pk)
    return _editor(request, campaign, form, adjustments, status=400 if form.is_bound else 200)


@ministry_required
def scenario(request, year: int, pk: int):
    campaign = _campaign(year)
    item = _scenario(campaign, pk)
    if request.method == "POST":
        if not _is_analyst(request):
            return HttpResponse(status=403)
        form, adjustments = _forms(request, item)
        if form.is_valid() and adjustments.is_valid():
            try:
                services.scenario_save(actor=request.user, scenario=item, data=form.scenario_data(adjustments),
                                       revision=form.cleaned_data.get("revision"))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The scenario is saved."))
                return redirect("quota:scenario", year, item.pk)
        return _editor(request, campaign, form, adjustments, item, status=400)
    form, adjustments = _forms(request, item)
    return _editor(request, campaign, form, adjustments, item)


@analyst_required
def scenario_preview(request, year: int):
    """The results table of the inputs being typed (htmx): validated, computed, not saved. The
    fields' errors come back out of band into each field's error slot."""
    campaign = _campaign(year)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form, adjustments = ScenarioForm(request.POST), AdjustmentFormSet(request.POST, prefix="adj")
    p = national_picture(campaign)
    figures, inputs = _evaluate(campaign, form, adjustments, p)
    return render(request, "allocation/scenarios/_preview.html", {
        "campaign": campaign, "form": form, "adjustments": adjustments, **results_context(figures, p, inputs)})


@analyst_required
def scenario_copy(request, year: int, pk: int):
    campaign = _campaign(year)
    item = _scenario(campaign, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    copy = services.scenario_copy(actor=request.user, scenario=item)
    messages.success(request, _("The scenario is copied: change the copy as you wish."))
    return redirect("quota:scenario", year, copy.pk)


@analyst_required
def scenario_delete(request, year: int, pk: int):
    campaign = _campaign(year)
    item = _scenario(campaign, pk)
    form = RevisionForm(request.POST or None, initial={"revision": item.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_delete(actor=request.user, scenario=item, revision=form.cleaned_data.get("revision"))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The scenario is deleted."))
            return redirect("quota:scenarios", year)
    return render(request, "allocation/scenarios/delete.html", {"campaign": campaign, "scenario": item,
                                                                 "form": form})


@analyst_required
def scenario_propose(request, year: int, pk: int):
    campaign = _campaign(year)
    item = _scenario(campaign, pk)
    if request.method != "POST":
        return redirect("quota:scenario", year, pk)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_propose(actor=request.user, scenario=item, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The distribution is proposed: an approver decides (Rules p.19)."))
    else:
        messages.error(request, _("State what the proposal is based on."))
    return redirect("quota:scenario", year, pk)


@ministry_required
def compare(request, year: int):
    campaign = _campaign(year)
    all_items = list(Scenario.objects.filter(campaign=campaign).prefetch_related("adjustments").order_by("pk"))
    wanted = [i for i in (parse_id(v) for v in request.GET.getlist("s")) if i is not None]
    chosen = [s for s in all_items if s.pk in wanted][:MAX_COMPARED] if wanted else all_items[:MAX_COMPARED]
    p = national_picture(campaign)
    results = []
    for s in chosen:
        try:
            results.append((s, compute(scenario_inputs(s), p)))
        except DomainError as exc:
            s.problem = exc.message
            results.append((s, None))
    return render(request, "allocation/scenarios/compare.html", {
        "campaign": campaign, "all_scenarios": all_items, "chosen_ids": {s.pk for s in chosen},
        **compare_context(results, p)})
