"""The Ministry's national view (issue 10; Rules p.12, p.16-18): read-only pages for the Ministry's
analysts and approvers. Every other role gets 404 (`ministry_required`); nothing here changes data."""
from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from commissions import pdf as commission_pdf
from quota_portal.core.access import get_scoped_or_404, ministry_required
from quota_portal.core.downloads import attachment_response
from quota_portal.core.models import Campaign, Organization, Region
from quota_portal.core.parsing import clean_text, parse_int
from quota_portal.core.selectors import working_campaign

from . import national_selectors as selectors
from .models import SubmissionVersion

EMPLOYERS_PAGE_SIZE = 25
SEARCH_MAX = 100


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


@ministry_required
def national_current(request):
    """The national view of the campaign the regions work on."""
    campaign = working_campaign()
    if campaign is None:
        raise Http404("No campaign.")
    return redirect("national:national", year=campaign.year)


@ministry_required
def national(request, year: int):
    campaign = _campaign(year)
    statuses = selectors.region_status(campaign)
    totals = selectors.national_totals(campaign)
    for row in statuses:
        row["totals"] = totals["rows"].get(row["region"].pk)
    return render(request, "allocation/national/national.html", {
        "campaign": campaign, "campaigns": selectors.campaigns_with_years(), "rows": statuses,
        "counts": selectors.status_counts(statuses), "national": totals["national"],
        "deadline_row": selectors.deadline_row(campaign),
    })


@ministry_required
def region(request, year: int, code: str):
    campaign, reg = _campaign(year), _region(code)
    versions = selectors.region_versions(campaign=campaign, region=reg)
    status = next(r for r in selectors.region_status(campaign) if r["region"].pk == reg.pk)
    return render(request, "allocation/national/region.html", {
        "campaign": campaign, "region": reg, "versions": versions, "status": status,
        "pairs": list(zip(versions, versions[1:], strict=False)),
        "sessions": selectors.region_sessions(campaign=campaign, region=reg),
        "organizations": selectors.region_organizations(campaign=campaign, region=reg),
    })


def _version(campaign, reg, number: int) -> SubmissionVersion:
    return get_scoped_or_404(SubmissionVersion.objects.select_related("sent_by"), campaign=campaign, region=reg,
                             number=number)


@ministry_required
def version(request, year: int, code: str, number: int):
    campaign, reg = _campaign(year), _region(code)
    v = _version(campaign, reg, number)
    return render(request, "allocation/national/version.html", {
        "campaign": campaign, "region": reg, "version_label": f"v{v.number}", **selectors.version_annexes(v)})


@ministry_required
def diff(request, year: int, code: str, old: int, new: int):
    campaign, reg = _campaign(year), _region(code)
    if old == new:
        raise Http404("Nothing to compare.")
    return render(request, "allocation/national/diff.html", {
        "campaign": campaign, "region": reg,
        "diff": selectors.version_diff(_version(campaign, reg, old), _version(campaign, reg, new))})


@ministry_required
def organization(request, year: int, code: str, org_id: int):
    campaign, reg = _campaign(year), _region(code)
    org = get_scoped_or_404(Organization, pk=org_id)
    found = selectors.organization_decided_lines(campaign=campaign, region=reg, organization=org)
    if found["application"] is None:
        raise Http404("The organization has not applied in the region.")
    return render(request, "allocation/national/organization.html", {
        "campaign": campaign, "region": reg, "organization": org, **found})


@ministry_required
def protocol_pdf(request, pk: int):
    """A signed protocol of any region's Commission, read-only (commissions' own PDF)."""
    session = get_scoped_or_404(selectors.signed_session(pk=pk).select_related("commission", "region", "campaign"),
                                pk=pk)
    return attachment_response(commission_pdf.protocol_pdf(session),
                               filename=f"protocol-{session.region.code}-{session.campaign.year}-{session.number}.pdf",
                               content_type="application/pdf", inline=True)


@ministry_required
def employers(request, year: int):
    campaign = _campaign(year)
    query = clean_text(request.GET.get("q", ""))[:SEARCH_MAX].strip()
    several = request.GET.get("several") == "1"
    qs = selectors.employers(campaign=campaign, query=query)
    if several:
        qs = qs.filter(regions_count__gt=1)
    page = Paginator(qs, EMPLOYERS_PAGE_SIZE).get_page(parse_int(request.GET.get("page"), min_value=1) or 1)
    orgs = list(page.object_list)
    by_region = selectors.employers_by_region(campaign=campaign, organization_ids=[o.pk for o in orgs])
    params = {k: v for k, v in (("q", query), ("several", "1" if several else "")) if v}
    return render(request, "allocation/national/employers.html", {
        "campaign": campaign, "campaigns": selectors.campaigns_with_years(), "page": page,
        "rows": [{"organization": o, "regions": by_region.get(o.pk, [])} for o in orgs],
        "query": query, "several": several, "params": urlencode(params)})
