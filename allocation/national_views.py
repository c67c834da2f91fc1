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
from . import submission_selectors
from .models import SubmissionVersion

EMPLOYERS_PAGE_SIZE = 25
SEARCH_MAX = 100


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


CATEGORY_FIELDS = tuple(submission_selectors.CATEGORY_FIELDS.values())


def _statuses(campaign) -> list[dict]:
    """The submissions' region status, the latest version as these pages read it."""
    rows = submission_selectors.region_status(campaign)
    for row in rows:
        v = row["latest"]
        row["latest"] = v and {"pk": v.pk, "number": v.number, "sent_at": v.sent_at, "sent_by_name": v.sent_by_name,
                               "is_late": v.is_late, "late_reason": v.late_reason, "reason": v.reason}
    return rows


def _national_totals(campaign) -> dict:
    """The submissions' region x category totals keyed by region, with the national row."""
    keys = (*CATEGORY_FIELDS, "total", "current_year_count", "organizations", "labour_immigrants", "countries")
    rows, national = {}, dict.fromkeys(keys, 0)
    for r in submission_selectors.national_totals(campaign):
        row = {**{k: r[k] for k in (*CATEGORY_FIELDS, "total", "current_year_count", "organizations")},
               "labour_immigrants": r["li_need"], "countries": r["annex4_total"], "region_id": r["region"].pk}
        rows[r["region"].pk] = row
        for key in keys:
            national[key] += row[key]
    return {"rows": rows, "national": national}


def _row_total(row) -> dict:
    return {"organization_name": row.organization_name, "bin_iin": row.bin_iin, "total": row.total}


def _diff(v_old: SubmissionVersion, v_new: SubmissionVersion) -> dict:
    """The submissions' diff of two versions in this page's words (before/after/delta)."""
    d = submission_selectors.version_diff(v_old, v_new)
    numbers = ("current_year_count", *CATEGORY_FIELDS)
    changed = []
    for c in sorted(d["changed"], key=lambda c: c["new"].organization_name):
        fields = [{"field": f["field"], "before": f["old"], "after": f["new"], "delta": f["new"] - f["old"]}
                  for f in c["fields"] if f["field"] in numbers]
        justification = [f for f in c["fields"] if f["field"] == "justification"]
        if not (fields or c["lines"] or justification):
            continue
        changed.append({
            "organization_name": c["new"].organization_name, "bin_iin": c["new"].bin_iin, "fields": fields,
            "lines": [{"category": x["category"], "occupation": x["occupation_code"], "specialty": x["specialty"],
                       "before": x["old"], "after": x["new"]} for x in c["lines"]],
            "justification_changed": bool(justification),
            "justification_before": c["old"].justification, "justification_after": c["new"].justification})

    def totals_of(v):
        row = {"current_year_count": v.total_current_year, **{f: getattr(v, f"total_{f}") for f in CATEGORY_FIELDS}}
        row["total"] = sum(row[f] for f in CATEGORY_FIELDS)
        row["labour_immigrants"] = v.li_need
        return row

    before, after = totals_of(v_old), totals_of(v_new)
    totals = [{"field": f, "before": before[f], "after": after[f], "delta": after[f] - before[f]} for f in before]
    return {"old": v_old, "new": v_new, "changed": changed, "totals": totals,
            "added": sorted(map(_row_total, d["added"]), key=lambda r: r["organization_name"]),
            "removed": sorted(map(_row_total, d["removed"]), key=lambda r: r["organization_name"]),
            "same": d["is_empty"] and all(t["delta"] == 0 for t in totals)}


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
    statuses = _statuses(campaign)
    totals = _national_totals(campaign)
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
    status = next(r for r in _statuses(campaign) if r["region"].pk == reg.pk)
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
        "diff": _diff(_version(campaign, reg, old), _version(campaign, reg, new))})


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
