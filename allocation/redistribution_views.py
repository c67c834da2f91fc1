"""Pages of redistribution (Rules p.21) and of the quota's use (p.5). Short: access helper, form, service,
redirect. Anyone else gets 404 (the role decorators and the scoped managers).

    /allocation/redistributions/            the requesting authority's requests (akimat or central body)
    /allocation/redistributions/new/        ask for a redistribution
    /allocation/redistributions/<pk>/       status, the move, history; the actions of whoever may act
    /ministry/quota/<year>/redistributions/ the Ministry's queue (endorse, approve, decline)
    /allocation/permits/                    the akimat's permits issued: record one, import an XLSX
    /allocation/use/  /ministry/quota/<year>/use/   requested, approved, distributed, used
"""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quota_portal.core.access import akimat_officer_required, get_scoped_or_404, role_required
from quota_portal.core.audit import history_for_all
from quota_portal.core.errors import DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import MINISTRY_ROLES, Campaign, Category, Role

from . import redistribution_selectors as selectors
from . import redistribution_services as services
from . import redistribution_use as use
from .quota_models import Redistribution, RedistributionStatus
from .quota_services import current_version
from .redistribution_forms import DeclineForm, PermitForm, PermitImportForm, RedistributionForm, RevisionForm

S = RedistributionStatus
REQUESTER_ROLES = {Role.AKIMAT_OFFICER, Role.CENTRAL_OFFICER}
requester_required = role_required(REQUESTER_ROLES)
reader_required = role_required(REQUESTER_ROLES | MINISTRY_ROLES)
ministry_required = role_required(MINISTRY_ROLES)
CATEGORIES = [c.value for c in Category]


def _own_region(request):
    membership = request.membership
    return membership.authority.region if membership.role == Role.AKIMAT_OFFICER else None


def _campaign_of_year(year: int) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


# --- the requesting authority --------------------------------------------------------------------

@requester_required
def redistribution_list(request):
    authority = request.membership.authority
    rows = selectors.redistributions(requested_by_authority=authority) if request.membership.is_central else \
        selectors.redistributions()
    return render(request, "allocation/redistribution/list.html", {
        "redistributions": list(rows), "can_ask": bool(selectors.campaigns_in_force()),
        "own_region": _own_region(request),
    })


@requester_required
def redistribution_new(request):
    campaigns = [c for c in selectors.campaigns_in_force() if not services.quota_year_over(c)]
    own_region = _own_region(request)
    if request.method == "POST":
        form = RedistributionForm(request.POST, campaigns=campaigns, own_region=own_region)
        if form.is_valid():
            d = form.cleaned_data
            from_region, to_region = form.move()
            try:
                redistribution = services.redistribution_request(
                    actor=request.user, authority=request.membership.authority, campaign=d["campaign"],
                    from_region=from_region, to_region=to_region, category=d["category"], count=d["count"],
                    reason=d["reason"])
            except DomainError as exc:
                if exc.field == "to_region" and own_region is not None:
                    exc.field = "other_region"
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The request is sent to the Ministry."))
                return redirect("allocation:redistribution_detail", redistribution.pk)
    else:
        form = RedistributionForm(campaigns=campaigns, own_region=own_region)
    rooms = {}
    if own_region is not None:
        rooms = {c.year: use.room(c, own_region) for c in campaigns}
    return render(request, "allocation/redistribution/new.html", {
        "form": form, "campaigns": campaigns, "own_region": own_region, "rooms": rooms})


# --- every reader ------------------------------------------------------------------------------

def _get(pk: int) -> Redistribution:
    return get_scoped_or_404(selectors.redistributions(), pk=pk)


def _detail(request, redistribution, *, decline=None, status=200):
    membership, user = request.membership, request.user
    current = current_version(redistribution.campaign)
    cells = services.permits_cells(current)
    c = redistribution.category
    effect = []
    if redistribution.status in (S.REQUESTED, S.ENDORSED):
        if redistribution.from_region_id:
            have = cells.get((redistribution.from_region_id, c), 0)
            effect.append({"name": redistribution.from_region, "before": have, "after": have - redistribution.count,
                           "used": services.used_permits(redistribution.campaign, redistribution.from_region_id, c)
                           if membership.is_ministry else None})
        else:
            have = current.reserve if current else 0
            effect.append({"name": _("National reserve"), "before": have, "after": have - redistribution.count,
                           "used": None})
        have = cells.get((redistribution.to_region_id, c), 0)
        effect.append({"name": redistribution.to_region, "before": have, "after": have + redistribution.count,
                       "used": None})
    role = membership.role
    awaiting = redistribution.status in (S.REQUESTED, S.ENDORSED)
    may = {
        "withdraw": awaiting and redistribution.requested_by_authority_id == membership.authority_id
        and role in REQUESTER_ROLES,
        "endorse": role == Role.MINISTRY_ANALYST and redistribution.status == S.REQUESTED,
        "approve": role == Role.MINISTRY_APPROVER and redistribution.status == S.ENDORSED
        and user.pk not in (redistribution.endorsed_by_id, redistribution.requested_by_id),
        "decline": awaiting and ((role == Role.MINISTRY_ANALYST and redistribution.status == S.REQUESTED)
                                 or (role == Role.MINISTRY_APPROVER and user.pk != redistribution.endorsed_by_id)),
    }
    result = getattr(redistribution, "result", None) if redistribution.status == S.APPROVED else None
    return render(request, "allocation/redistribution/detail.html", {
        "r": redistribution, "may": may, "effect": effect, "current": current, "result": result,
        "revision_form": RevisionForm(initial={"revision": redistribution.revision}),
        "decline": decline or DeclineForm(initial={"revision": redistribution.revision}),
        "is_ministry": membership.is_ministry,
        "history": history_for_all([redistribution], newest_first=True),
    }, status=status)


@reader_required
def redistribution_detail(request, pk: int):
    return _detail(request, _get(pk))


def _act(request, pk: int, service, done: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    redistribution = _get(pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
    else:
        try:
            service(actor=request.user, redistribution=redistribution, revision=form.cleaned_data["revision"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    if request.POST.get("back") == "queue" and request.membership.is_ministry:
        return redirect("redistribution:queue", redistribution.campaign.year)
    return redirect("allocation:redistribution_detail", redistribution.pk)


@requester_required
def redistribution_withdraw(request, pk: int):
    return _act(request, pk, services.redistribution_withdraw, _("The request is withdrawn."))


@role_required({Role.MINISTRY_ANALYST})
def redistribution_endorse(request, pk: int):
    return _act(request, pk, services.redistribution_endorse,
                _("The request is endorsed and passed to an approver."))


@role_required({Role.MINISTRY_APPROVER})
def redistribution_approve(request, pk: int):
    return _act(request, pk, services.redistribution_approve,
                _("The redistribution is approved and the new version of the quota is published."))


@ministry_required
def redistribution_decline(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    redistribution = _get(pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.redistribution_decline(actor=request.user, redistribution=redistribution,
                                            reason=form.cleaned_data["reason"],
                                            revision=form.cleaned_data["revision"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The request is declined; the authorities are notified."))
            return redirect("allocation:redistribution_detail", redistribution.pk)
    return _detail(request, redistribution, decline=form, status=200)


# --- the Ministry ---------------------------------------------------------------------------------

def _latest_year() -> int:
    in_force = selectors.campaigns_in_force()
    campaign = in_force[0] if in_force else Campaign.objects.order_by("-year").first()
    if campaign is None:
        raise Http404("No campaign.")
    return campaign.year


@ministry_required
def queue_current(request):
    return redirect("redistribution:queue", _latest_year())


@ministry_required
def use_current(request):
    return redirect("redistribution:use", _latest_year())


@ministry_required
def queue(request, year: int):
    campaign = _campaign_of_year(year)
    rows = selectors.ministry_queue(campaign)
    return render(request, "allocation/redistribution/queue.html", {
        "campaign": campaign, "rows": rows, "current": current_version(campaign),
        "campaigns": Campaign.objects.order_by("-year"), "role": request.membership.role,
        "awaiting": [S.REQUESTED, S.ENDORSED],
    })


def _utilisation(request, campaign, region_id):
    data = selectors.utilisation(campaign, region_id)
    years = selectors.year_over_year(region_id)
    next_year = Campaign.objects.order_by("-year").values_list("year", flat=True).first()
    return render(request, "allocation/redistribution/use.html", {
        **data, "years": years, "categories": [Category(c) for c in CATEGORIES],
        "campaigns": Campaign.objects.order_by("-year"), "region_id": region_id,
        "is_ministry": request.membership.is_ministry,
        "may_open_next": request.membership.role == Role.MINISTRY_ANALYST,
        "next_year": (next_year or campaign.year) + 1,
    })


@ministry_required
def ministry_use(request, year: int):
    return _utilisation(request, _campaign_of_year(year), None)


@akimat_officer_required
def akimat_use(request):
    campaigns = Campaign.objects.order_by("-year")
    year = request.GET.get("year", "")
    campaign = next((c for c in campaigns if str(c.year) == year), None)
    if campaign is None:
        in_force = selectors.campaigns_in_force()
        campaign = in_force[0] if in_force else campaigns.first()
    if campaign is None:
        raise Http404("No campaign.")
    return _utilisation(request, campaign, _own_region(request).pk)


# --- permits used (the akimat) -------------------------------------------------------------------

def _permits_page(request, *, form=None, import_form=None, status=200):
    region = _own_region(request)
    campaigns = selectors.campaigns_in_force()
    form = form or PermitForm(campaigns=campaigns)
    import_form = import_form or PermitImportForm(campaigns=campaigns)
    return render(request, "allocation/redistribution/permits.html", {
        "region": region, "campaigns": campaigns, "form": form, "import_form": import_form,
        "rooms": [(c, use.room(c, region)) for c in campaigns],
        "permits": list(selectors.permits_of(region.pk)[:200]),
    }, status=status)


def _warn(request, near):
    for r in near:
        messages.warning(request, _("%(category)s: %(used)s of %(ceiling)s permits are used (%(share)s per cent); "
                                    "the region's quota is its ceiling (Rules p.5).")
                         % {"category": Category(r.category).label, "used": r.used, "ceiling": r.ceiling,
                            "share": r.share})


@akimat_officer_required
def permits(request):
    if request.method != "POST":
        return _permits_page(request)
    form = PermitForm(request.POST, campaigns=selectors.campaigns_in_force())
    if form.is_valid():
        d = form.cleaned_data
        try:
            _record, near = use.permit_record(actor=request.user, campaign=d["campaign"], region=_own_region(request),
                                              category=d["category"], count=d["count"], issued_on=d["issued_on"],
                                              reference=d["reference"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The permits are recorded."))
            _warn(request, near)
            return redirect("allocation:permits")
    return _permits_page(request, form=form)


@akimat_officer_required
def permits_import(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PermitImportForm(request.POST, request.FILES, campaigns=selectors.campaigns_in_force())
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, near = use.permits_import(actor=request.user, campaign=form.cleaned_data["campaign"],
                                               region=_own_region(request), name=upload.name, content=upload.read())
        except DomainError as exc:
            exc.field = "file"
            add_domain_error(form, exc)
        else:
            messages.success(request, ngettext("%(n)s row is imported.", "%(n)s rows are imported.", len(created))
                             % {"n": len(created)})
            _warn(request, near)
            return redirect("allocation:permits")
    return _permits_page(request, import_form=form)


@akimat_officer_required
def permits_template(request):
    response = HttpResponse(use.permits_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="permits.xlsx"'
    return response
