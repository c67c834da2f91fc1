"""Reads of the regional submissions (Annexes 2-4), for the akimat's pages and the Ministry's
national view (issue 10). Annex 2 is built in SQL from the signed Commission decisions: a fixed
number of queries whatever the number of organizations (tests/allocation/test_submission_queries.py)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, Max, OuterRef, Subquery, Sum

from applications.models import UNFILED_STATUSES, Application
from commissions.models import Decision, LineDecision
from quota_portal.core.models import Category, Region

from .models import Annex2Line, Annex2Row, Annex4Row, RegionalSubmission, SubmissionStatus, SubmissionVersion

# The form's category columns (Annex 2 columns 4-8, Annex 4 columns 3-7), in order.
CATEGORIES = [Category.CAT1, Category.CAT2, Category.CAT3, Category.CAT4, Category.SEASONAL]
CATEGORY_FIELDS = {Category.CAT1: "cat1", Category.CAT2: "cat2", Category.CAT3: "cat3", Category.CAT4: "cat4",
                   Category.SEASONAL: "seasonal"}


def treaty_countries():
    """Rules p.17: the countries with a ratified labour-migration treaty recorded by the Ministry
    (EAEU members are exempt from the quota): core's one answer, the one place this app asks it."""
    from quota_portal.core.selectors import treaty_countries as recorded

    return recorded()


def current_signed_decisions(*, campaign, region):
    """The decision each application of the region stands on: its latest signed one (a signed
    correction replaces the decision it corrects; an unsigned correction does not yet). One query
    (PostgreSQL DISTINCT ON)."""
    return (Decision.objects.filter(region=region, application__campaign=campaign, signed_at__isnull=False)
            .order_by("application_id", "-pk").distinct("application_id"))


def justification_text(notes: list[str]) -> str:
    """The p.7 justification of an Annex 2 row: the akimat's four generalization notes, numbered as
    p.7 numbers its factors."""
    return "\n".join(f"{i}) {note.strip()}" for i, note in enumerate(notes, start=1) if note and note.strip())


def annex2_draft_rows(*, campaign, region) -> list[dict]:
    """Annex 2 rows (columns 2-9) with their lines, from the current signed decisions: two queries.
    Fully rejected applications have no row (nothing approved)."""
    decisions = list(current_signed_decisions(campaign=campaign, region=region).values(
        "pk", "application_id", "organization_id", "organization__name", "organization__legal_address",
        "organization__bin_iin", "application__current_year_count",
        "application__generalization__note_demand", "application__generalization__note_forecast",
        "application__generalization__note_domestic", "application__generalization__note_effectiveness"))
    lines = (LineDecision.objects.filter(decision_id__in=[d["pk"] for d in decisions], approved__gt=0)
             .values("decision_id", "line__category", "line__occupation_id", "line__occupation__code",
                     "line__occupation__name_ru", "line__occupation__name_kk", "line__specialty")
             .annotate(count=Sum("approved"))
             .order_by("decision_id", "line__category", "line__occupation__code", "line__specialty"))
    by_decision: dict[int, list[dict]] = defaultdict(list)
    for line in lines.iterator(chunk_size=5000):
        by_decision[line["decision_id"]].append({
            "category": line["line__category"], "occupation_id": line["line__occupation_id"],
            "occupation_code": line["line__occupation__code"], "occupation_name_ru": line["line__occupation__name_ru"],
            "occupation_name_kk": line["line__occupation__name_kk"] or "", "specialty": line["line__specialty"],
            "count": line["count"]})
    rows = []
    for d in sorted(decisions, key=lambda d: (d["organization__name"].casefold(), d["application_id"])):
        row_lines = by_decision.get(d["pk"], [])
        if not row_lines:
            continue
        sums = dict.fromkeys(CATEGORY_FIELDS.values(), 0)
        for line in row_lines:
            sums[CATEGORY_FIELDS[line["category"]]] += line["count"]
        notes = [d[f"application__generalization__note_{k}"] or ""
                 for k in ("demand", "forecast", "domestic", "effectiveness")]
        rows.append({
            "position": len(rows) + 1, "decision_id": d["pk"], "application_id": d["application_id"],
            "organization_id": d["organization_id"], "organization_name": d["organization__name"],
            "legal_address": d["organization__legal_address"], "bin_iin": d["organization__bin_iin"],
            "current_year_count": d["application__current_year_count"] or 0, **sums,
            "total": sum(sums.values()), "justification": justification_text(notes), "lines": row_lines})
    return rows


def rows_totals(rows) -> dict:
    """Columns 3-8 summed over Annex 2 rows (dicts or Annex2Row)."""
    get = (lambda r, k: r[k]) if rows and isinstance(rows[0], dict) else getattr
    totals = {"current_year_count": 0, **dict.fromkeys(CATEGORY_FIELDS.values(), 0)}
    for row in rows:
        for key in totals:
            totals[key] += get(row, key)
    totals["total"] = sum(totals[f] for f in CATEGORY_FIELDS.values())
    return totals


def signed_decision_totals(*, campaign, region) -> dict[str, int]:
    """Per category, the approved workers summed straight over the decision lines: signed, and not
    replaced by a later signed decision of the same application. Independent of how Annex 2 is
    built (`annex2_draft_rows`), so that reconciling the two catches a mistake in either."""
    # The newest signed decision of each application, as ids (a hash join: the correlated
    # "no later signed decision" form degraded to a nested loop over all decisions, quadratic).
    newest = (Decision.objects.filter(region=region, application__campaign=campaign, signed_at__isnull=False)
              .values("application_id").annotate(newest=Max("pk")).values("newest"))
    sums = dict(LineDecision.objects.filter(decision_id__in=Subquery(newest))
                .values_list("line__category").annotate(n=Sum("approved")).order_by())
    return {CATEGORY_FIELDS[c]: sums.get(c, 0) or 0 for c in CATEGORIES}


def reconciliation(*, campaign, region, rows: list[dict]) -> list[dict]:
    """Rules p.12 (issue 10): per category, the annex's total next to the decisions' total."""
    annex = rows_totals(rows)
    decided = signed_decision_totals(campaign=campaign, region=region)
    labels = dict(Category.choices)
    result = [{"category": c, "label": labels[c], "annex": annex[f], "decisions": decided[f],
               "ok": annex[f] == decided[f]} for c, f in CATEGORY_FIELDS.items()]
    result.append({"category": "total", "label": None, "annex": annex["total"],
                   "decisions": sum(decided.values()), "ok": annex["total"] == sum(decided.values())})
    return result


def undecided_applications(*, campaign, region):
    """Filed applications of the region that have no signed decision (p.12: each blocks sending
    unless the officer leaves it out with a reason)."""
    signed = Decision.objects.filter(application_id=OuterRef("pk"), signed_at__isnull=False)
    return (Application.objects.filter(region=region, campaign=campaign).exclude(status__in=UNFILED_STATUSES)
            .exclude(Exists(signed)).select_related("organization").order_by("registration_number", "pk"))


def blocking_applications(submission: RegionalSubmission) -> list[Application]:
    """The undecided applications not left out with a reason."""
    excluded = set(submission.exclusions.values_list("application_id", flat=True))
    return [a for a in undecided_applications(campaign=submission.campaign, region=submission.region)
            if a.pk not in excluded]


def latest_version(submission: RegionalSubmission | None) -> SubmissionVersion | None:
    if submission is None or submission.pk is None:
        return None
    return SubmissionVersion.objects.filter(submission=submission).order_by("-number").first()


def status_of(submission: RegionalSubmission | None, versions: list[SubmissionVersion]) -> str:
    if not versions:
        if submission is None or not submission.revision:
            return SubmissionStatus.NOT_STARTED
        return SubmissionStatus.DRAFT
    if len(versions) > 1:
        return SubmissionStatus.RESENT
    return SubmissionStatus.LATE if versions[0].is_late else SubmissionStatus.SENT


def region_status(campaign) -> list[dict]:
    """Per region (all 20, in name order): the status (not started / draft / sent / late / resent),
    the latest version and whether any version was late. Three queries; the caller's scope applies
    (the Ministry sees all regions' submissions, an akimat only its own)."""
    submissions = {s.region_id: s for s in RegionalSubmission.objects.filter(campaign=campaign)}
    versions: dict[int, list[SubmissionVersion]] = defaultdict(list)
    for v in SubmissionVersion.objects.filter(campaign=campaign).select_related("sent_by").order_by("number"):
        versions[v.region_id].append(v)
    deadline_passed = not campaign.is_open("submission")
    result = []
    for region in Region.objects.order_by("name_ru"):
        submission, vs = submissions.get(region.pk), versions.get(region.pk, [])
        status = status_of(submission, vs)
        result.append({"region": region, "submission": submission, "status": status,
                       "status_label": SubmissionStatus(status).label, "latest": vs[-1] if vs else None,
                       "versions": len(vs), "any_late": any(v.is_late for v in vs),
                       "first_late": bool(vs) and vs[0].is_late, "overdue": not vs and deadline_passed})
    return result


def latest_versions(campaign):
    """The latest sent version of each region (DISTINCT ON)."""
    return (SubmissionVersion.objects.filter(campaign=campaign)
            .order_by("region_id", "-number").distinct("region_id"))


def national_totals(campaign) -> list[dict]:
    """Region x category from the latest sent version of each region: Annex 2 columns 3-8, Annex 3's
    need, Annex 4's total by category and the number of Annex 2 organizations. Four queries."""
    latest = list(latest_versions(campaign).select_related("region"))
    annex4 = {r["version_id"]: r for r in Annex4Row.objects.filter(version__in=[v.pk for v in latest])
              .values("version_id").annotate(cat1=Sum("cat1"), cat2=Sum("cat2"), cat3=Sum("cat3"),
                                             cat4=Sum("cat4"), seasonal=Sum("seasonal"))}
    organizations = dict(Annex2Row.objects.filter(version__in=[v.pk for v in latest]).values("version_id")
                         .annotate(n=Count("pk")).values_list("version_id", "n").order_by())
    result = []
    for v in sorted(latest, key=lambda v: v.region.name_ru):
        a4 = annex4.get(v.pk) or dict.fromkeys(CATEGORY_FIELDS.values(), 0)
        result.append({
            "region": v.region, "version": v, "current_year_count": v.total_current_year,
            "cat1": v.total_cat1, "cat2": v.total_cat2, "cat3": v.total_cat3, "cat4": v.total_cat4,
            "seasonal": v.total_seasonal, "total": v.total_need,
            "li_current_year_count": v.li_current_year_count, "li_need": v.li_need,
            "annex4": {f: a4[f] or 0 for f in CATEGORY_FIELDS.values()},
            "annex4_total": sum(a4[f] or 0 for f in CATEGORY_FIELDS.values()),
            "organizations": organizations.get(v.pk, 0),
        })
    return result


ROW_FIELDS = ("organization_name", "legal_address", "current_year_count", "cat1", "cat2", "cat3", "cat4",
              "seasonal", "justification")
ANNEX3_FIELDS = ("li_current_year_count", "li_need", "li_justification", "li_demand_figure", "li_demand_note",
                 "li_unemployment_figure", "li_unemployment_note", "li_effectiveness_figure",
                 "li_effectiveness_note")
ANNEX4_FIELDS = ("cat1", "cat2", "cat3", "cat4", "seasonal", "forecast_figure", "forecast_note")
TOTAL_FIELDS = ("total_current_year", "total_cat1", "total_cat2", "total_cat3", "total_cat4", "total_seasonal")


def _lines_of(version) -> dict[int, dict[tuple, int]]:
    """Per organization, (category, occupation code, specialty) -> count."""
    result: dict[int, dict[tuple, int]] = defaultdict(dict)
    for org, cat, code, spec, n in Annex2Line.objects.filter(version=version).values_list(
            "row__organization_id", "category", "occupation_code", "specialty", "count").iterator(chunk_size=5000):
        result[org][(cat, code, spec)] = result[org].get((cat, code, spec), 0) + n
    return result


def version_diff(v_old: SubmissionVersion, v_new: SubmissionVersion) -> dict:
    """What changed from `v_old` to `v_new`: Annex 2 rows added, removed and changed (with the
    fields and the profession lines that changed), the totals, Annex 3 and Annex 4 per country.
    Five queries."""
    old_rows = {r.organization_id: r for r in Annex2Row.objects.filter(version=v_old)}
    new_rows = {r.organization_id: r for r in Annex2Row.objects.filter(version=v_new)}
    old_lines, new_lines = _lines_of(v_old), _lines_of(v_new)
    added = [new_rows[k] for k in new_rows if k not in old_rows]
    removed = [old_rows[k] for k in old_rows if k not in new_rows]
    changed = []
    for org, new in new_rows.items():
        old = old_rows.get(org)
        if old is None:
            continue
        fields = [{"field": f, "old": getattr(old, f), "new": getattr(new, f)} for f in ROW_FIELDS
                  if getattr(old, f) != getattr(new, f)]
        ol, nl = old_lines.get(org, {}), new_lines.get(org, {})
        lines = [{"category": k[0], "occupation_code": k[1], "specialty": k[2], "old": ol.get(k, 0),
                  "new": nl.get(k, 0)} for k in sorted(set(ol) | set(nl)) if ol.get(k, 0) != nl.get(k, 0)]
        if fields or lines:
            changed.append({"old": old, "new": new, "fields": fields, "lines": lines})
    totals = [{"field": f, "old": getattr(v_old, f), "new": getattr(v_new, f),
               "delta": getattr(v_new, f) - getattr(v_old, f)} for f in TOTAL_FIELDS]
    annex3 = [{"field": f, "old": getattr(v_old, f), "new": getattr(v_new, f)} for f in ANNEX3_FIELDS
              if getattr(v_old, f) != getattr(v_new, f)]
    old4 = {r.country_id: r for r in Annex4Row.objects.filter(version=v_old)}
    new4 = {r.country_id: r for r in Annex4Row.objects.filter(version=v_new)}
    annex4 = []
    for cid in sorted(set(old4) | set(new4)):
        o, n = old4.get(cid), new4.get(cid)
        name = (n or o).country_name_ru
        diffs = [{"field": f, "old": getattr(o, f) if o else None, "new": getattr(n, f) if n else None}
                 for f in ANNEX4_FIELDS if (getattr(o, f) if o else None) != (getattr(n, f) if n else None)]
        if diffs:
            annex4.append({"country": name, "fields": diffs, "added": o is None, "removed": n is None})
    return {"old": v_old, "new": v_new, "added": added, "removed": removed, "changed": changed, "totals": totals,
            "annex3": annex3, "annex4": annex4,
            "covering_changed": v_old.covering_justification != v_new.covering_justification,
            "is_empty": not (added or removed or changed or annex3 or annex4)
            and v_old.covering_justification == v_new.covering_justification}


def versions_of(submission: RegionalSubmission):
    return SubmissionVersion.objects.filter(submission=submission).select_related("sent_by").order_by("number")


def exclusions_of(submission: RegionalSubmission):
    return submission.exclusions.select_related("application__organization").order_by("pk")


def ready_to_send(submission: RegionalSubmission) -> bool:
    return not blocking_applications(submission)

