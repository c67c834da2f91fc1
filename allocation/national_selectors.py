"""The Ministry's national view of the regions' submissions (issue 10; Rules p.12, p.16-18): reads only.

Every function runs a fixed number of queries, whatever the number of regions, organizations or
rows: sums are taken in SQL. The Ministry's tenant scope sees every region's records (the
submission, commission and application models all give it `Q()`), so nothing here goes unscoped.

Region status, the national totals and the diff of two versions are the submissions' own
selectors (allocation/submission_selectors.py): one implementation per rule; the views adapt their
shapes to these pages.
"""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum

from applications.models import UNFILED_STATUSES, Application, Line
from commissions.models import Decision, LineDecision, Session
from quota_portal.core.models import Campaign, Category, Organization, Region

from .models import Annex2Line, Annex2Row, Annex4Row, SubmissionStatus, SubmissionVersion

CATEGORY_FIELDS = ("cat1", "cat2", "cat3", "cat4", "seasonal")
CATEGORY_KEYS = {"1": "cat1", "2": "cat2", "3": "cat3", "4": "cat4", Category.SEASONAL.value: "seasonal"}


def _zero() -> dict:
    return dict.fromkeys((*CATEGORY_FIELDS, "total"), 0)


def _totalled(row: dict) -> dict:
    row["total"] = sum(row[f] for f in CATEGORY_FIELDS)
    return row


def campaigns_with_years():
    """Every campaign, newest first, for the year switch."""
    return Campaign.objects.order_by("-year")


def deadline_row(campaign) -> dict:
    """The regions' submission deadline (Rules p.12) as core/_deadline_date.html shows it."""
    return {"date": campaign.submission_deadline, "kind": campaign.submission_deadline_kind,
            "extension": campaign.extension_of("submission")}


def status_counts(rows: list[dict]) -> dict:
    """Regions by status for the dashboard: sent (any version, late and resent included), late
    (first sending after the deadline), draft, not started, and overdue (nothing sent after it)."""
    S = SubmissionStatus
    return {
        "regions": len(rows),
        "sent": sum(1 for r in rows if r["versions"]),
        "late": sum(1 for r in rows if r["first_late"]),
        "resent": sum(1 for r in rows if r["status"] == S.RESENT),
        "draft": sum(1 for r in rows if r["status"] == S.DRAFT),
        "not_started": sum(1 for r in rows if r["status"] == S.NOT_STARTED),
        "overdue": sum(1 for r in rows if r["overdue"]),
    }


# --- one region -----------------------------------------------------------------------------------

def region_versions(*, campaign, region) -> list:
    """The region's sent versions, oldest first, with who sent them."""
    return list(SubmissionVersion.objects.filter(campaign=campaign, region=region)
                .select_related("sent_by").order_by("number"))


def version_annexes(version: SubmissionVersion) -> dict:
    """The frozen annexes of one version: Annex 2 rows with their lines per category cell, the
    version's exclusions, Annex 3 (on the version) and Annex 4 rows. Four queries."""
    rows = list(Annex2Row.objects.filter(version=version).order_by("position"))
    lines: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for line in Annex2Line.objects.filter(version=version).order_by("row_id", "category", "pk"):
        lines[line.row_id][CATEGORY_KEYS[line.category]].append(line)
    for row in rows:
        row.cells = [(f, getattr(row, f), lines[row.pk][f]) for f in CATEGORY_FIELDS]
    totals = {f: sum(getattr(r, f) for r in rows) for f in (*CATEGORY_FIELDS, "current_year_count")}
    totals["total"] = sum(totals[f] for f in CATEGORY_FIELDS)
    annex4 = list(Annex4Row.objects.filter(version=version).order_by("position"))
    return {"version": version, "rows": rows, "totals": totals, "annex4": annex4,
            "annex4_totals": _totalled({f: sum(getattr(r, f) for r in annex4) for f in CATEGORY_FIELDS}),
            "exclusions": list(version.exclusions.order_by("pk"))}


def region_sessions(*, campaign, region) -> list:
    """The region's Commission sessions for the campaign, newest first, with the number of items."""
    return list(Session.objects.filter(campaign=campaign, region=region).annotate(items_count=Count("items"))
                .order_by("-date", "-number"))


def signed_session(*, pk: int):
    """A session whose protocol carries both signatures (the Ministry reads signed protocols only)."""
    return Session.objects.filter(pk=pk, secretary_signed_at__isnull=False, chair_signed_at__isnull=False)


def _current_signed_decisions():
    """Decisions signed and not superseded by a later signed decision on the same application
    (a correction replaces the decision it corrects once its protocol is signed)."""
    later = Decision.objects.filter(application_id=OuterRef("application_id"), signed_at__isnull=False,
                                    pk__gt=OuterRef("pk"))
    return Decision.objects.filter(signed_at__isnull=False).filter(~Exists(later))


def region_organizations(*, campaign, region) -> list[dict]:
    """The region's filed applications with the requested and approved totals (current signed
    decision), for the drill-down to an organization. Two queries."""
    apps = list(Application.objects.filter(campaign=campaign, region=region)
                .exclude(status__in=UNFILED_STATUSES).select_related("organization")
                .annotate(requested=Sum("lines__count")).order_by("organization__name"))
    approved = dict(LineDecision.objects.filter(
        decision__in=_current_signed_decisions().filter(application__campaign=campaign, region=region))
        .values("decision__application_id").annotate(n=Sum("approved")).values_list("decision__application_id", "n")
        .order_by())
    return [{"application": a, "organization": a.organization, "requested": a.requested or 0,
             "approved": approved.get(a.pk)} for a in apps]


def organization_decided_lines(*, campaign, region, organization) -> dict:
    """An organization's application in the region, and every signed decision on it (the current
    one first, then those it corrected), each with its lines. Three queries."""
    application = (Application.objects.filter(campaign=campaign, region=region, organization=organization)
                   .exclude(status__in=UNFILED_STATUSES).first())
    if application is None:
        return {"application": None, "decisions": []}
    decisions = list(Decision.objects.filter(application=application, signed_at__isnull=False)
                     .select_related("item__session").order_by("-pk"))
    lines = defaultdict(list)
    for ld in (LineDecision.objects.filter(decision__in=[d.pk for d in decisions])
               .select_related("line__occupation").order_by("line__position", "line__pk")):
        lines[ld.decision_id].append(ld)
    for d in decisions:
        d.line_rows = lines[d.pk]
        d.requested_total = sum(ld.requested for ld in d.line_rows)
        d.approved_total = sum(ld.approved for ld in d.line_rows)
    return {"application": application, "decisions": decisions}


# --- employers across regions ---------------------------------------------------------------------

def employers(*, campaign, query: str = ""):
    """Organizations with a filed application for the campaign, searchable by BIN/IIN (prefix) or
    name, each with the number of regions it applied in. A queryset to paginate."""
    filed = Application.objects.filter(campaign=campaign).exclude(status__in=UNFILED_STATUSES)
    qs = (Organization.objects.filter(pk__in=filed.values("organization_id"))
          .annotate(regions_count=Count("applications__region", distinct=True,
                                        filter=Q(applications__in=filed)))
          .order_by("name", "pk"))
    term = (query or "").strip()
    if term:
        qs = qs.filter(Q(bin_iin__startswith=term) | Q(name__icontains=term))
    return qs


def employers_by_region(*, campaign, organization_ids: list[int]) -> dict:
    """{organization id: [per region: requested and approved by category, with totals]} for the
    organizations given (one page), summed in SQL: two queries however many organizations."""
    filed = Application.objects.filter(campaign=campaign, organization_id__in=organization_ids).exclude(
        status__in=UNFILED_STATUSES)
    cells: dict[tuple[int, int], dict] = {}

    def cell(org_id, region_id):
        return cells.setdefault((org_id, region_id), {"requested": _zero(), "approved": _zero(),
                                                      "decided": False})

    for r in (Line.objects.filter(application__in=filed)
              .values("application__organization_id", "application__region_id", "category")
              .annotate(n=Sum("count")).order_by()):
        c = cell(r["application__organization_id"], r["application__region_id"])
        c["requested"][CATEGORY_KEYS[r["category"]]] += r["n"] or 0
    for r in (LineDecision.objects.filter(decision__in=_current_signed_decisions().filter(application__in=filed))
              .values("decision__organization_id", "decision__region_id", "line__category")
              .annotate(n=Sum("approved")).order_by()):
        c = cell(r["decision__organization_id"], r["decision__region_id"])
        c["approved"][CATEGORY_KEYS[r["line__category"]]] += r["n"] or 0
        c["decided"] = True
    regions = {r.pk: r for r in Region.objects.filter(pk__in={k[1] for k in cells})}
    out: dict[int, list] = defaultdict(list)
    for (org_id, region_id), c in cells.items():
        _totalled(c["requested"])
        _totalled(c["approved"])
        out[org_id].append({"region": regions[region_id], **c})
    for rows in out.values():
        rows.sort(key=lambda r: r["region"].name_ru)
    return out
