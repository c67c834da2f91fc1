"""Reads of published quota versions (Rules p.19) for the public pages and files, and of a proposal
for the approver's page. Public reads go through the scoped managers: outside the Ministry only
published versions exist (allocation/quota_models.py `published_or_ministry`)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import get_language

from quota_portal.core.models import Category, Country

from . import submission_selectors
from .publication_content import CATEGORY_KEYS, CONTRACT_CATEGORIES, published_content
from .quota_models import (
    Component,
    Distribution,
    DistributionCell,
    DistributionStatus,
    QuotaHistory,
    ScenarioAdjustment,
)

S = DistributionStatus


def published_years() -> list[dict]:
    """Every year with a published quota, newest first: its latest version number and date."""
    rows = (Distribution.objects.filter(status=S.PUBLISHED).values("campaign__year")
            .annotate(versions=Count("pk"), latest=Max("number"), published_at=Max("published_at"))
            .order_by("-campaign__year"))
    return [{"year": r["campaign__year"], "versions": r["versions"], "latest": r["latest"],
             "published_at": r["published_at"]} for r in rows]


def published_version(year: int, number: int | None = None) -> Distribution:
    """The published version `number` of `year` (the latest when None); Http404 when there is none.
    A proposal, an approved but unpublished version or another year's number is not found."""
    qs = Distribution.objects.filter(campaign__year=year, status=S.PUBLISHED).select_related("campaign")
    found = qs.filter(number=number).first() if number is not None else qs.order_by("-number").first()
    if found is None:
        raise Http404("No such published version")
    return found


def published_history(year: int) -> list[Distribution]:
    """Every published version of the year, oldest first."""
    return list(Distribution.objects.filter(campaign__year=year, status=S.PUBLISHED).order_by("number"))


def region_name(names: dict, language: str | None = None) -> str:
    language = (language or get_language() or "ru")[:2]
    return names.get(language) or names.get("ru") or ""


def country_names(content: dict) -> dict[str, str]:
    """alpha2 -> the country's name in the active language, for the countries in `content`."""
    codes = country_columns(content)
    found = {c.alpha2: c.name for c in Country.objects.filter(alpha2__in=codes)} if codes else {}
    return {a: found.get(a, a) for a in codes}


def country_columns(content: dict) -> list[str]:
    return sorted({a for r in content["regions"] for a in r["countries"]})


def table(content: dict) -> dict:
    """The content laid out for a page or a PDF: a row per region (name in the active language),
    the national row, the country columns and their totals."""
    codes = country_columns(content)
    rows = []
    for r in content["regions"]:
        rows.append({"code": r["code"], "name": region_name(r["name"]),
                     "permits": [r["permits"][c] for c in CONTRACT_CATEGORIES], "total": r["permits"]["total"],
                     "labour_immigrants": r["labour_immigrants"],
                     "countries": [r["countries"].get(a, 0) for a in codes],
                     "countries_total": sum(r["countries"].values())})
    p = content["permits"]
    return {
        "rows": rows, "country_codes": codes, "country_headers": list(country_names(content).values()),
        "by_category": [p["by_category"][c] for c in CONTRACT_CATEGORIES],
        "regions_total": sum(p["by_category"].values()), "reserve": p["reserve"], "permits_total": p["total"],
        "labour_immigrants_total": content["labour_immigrants"]["total"],
        "country_totals": [sum(r["countries"].get(a, 0) for r in content["regions"]) for a in codes],
        "countries_total": sum(sum(r["countries"].values()) for r in content["regions"]),
        "has_countries": bool(codes),
        # The contract's strings in the reader's notation (0,25 in Russian and Kazakh).
        "permits_percent": number_format(Decimal(p["percent_of_labour_force"])),
        "immigrants_percent": number_format(Decimal(content["labour_immigrants"]["percent_of_labour_force"])),
    }


def what_moved(before: dict | None, after: dict) -> list[dict]:
    """What changed from the previous version's content to this one: each region's category,
    labour-immigrant and country number that differs, and the reserve, with before, after and the
    change (empty for the first version)."""
    if before is None:
        return []
    moves = []
    old = {r["code"]: r for r in before["regions"]}
    new = {r["code"]: r for r in after["regions"]}
    for code in sorted(old.keys() | new.keys()):
        o, n = old.get(code), new.get(code)
        names = (n or o)["name"]
        for c in CONTRACT_CATEGORIES:
            a, b = (o["permits"][c] if o else 0), (n["permits"][c] if n else 0)
            if a != b:
                moves.append({"region": region_name(names), "what": "category", "category": c,
                              "before": a, "after": b, "delta": b - a})
        a, b = (o["labour_immigrants"] if o else 0), (n["labour_immigrants"] if n else 0)
        if a != b:
            moves.append({"region": region_name(names), "what": "immigrants", "before": a, "after": b,
                          "delta": b - a})
        oc, nc = (o["countries"] if o else {}), (n["countries"] if n else {})
        for alpha2 in sorted(oc.keys() | nc.keys()):
            a, b = oc.get(alpha2, 0), nc.get(alpha2, 0)
            if a != b:
                moves.append({"region": region_name(names), "what": "country", "country": alpha2,
                              "before": a, "after": b, "delta": b - a})
    a, b = before["permits"]["reserve"], after["permits"]["reserve"]
    if a != b:
        moves.append({"region": "", "what": "reserve", "before": a, "after": b, "delta": b - a})
    return moves


def versions_with_moves(year: int) -> list[dict]:
    """Every published version of the year, newest first, with its reason and what moved."""
    out, previous = [], None
    for d in published_history(year):
        content = published_content(d)
        out.append({"distribution": d, "number": d.number, "published_at": d.published_at, "reason": d.reason,
                    "moves": what_moved(previous, content), "sha256": d.content_sha256})
        previous = content
    return list(reversed(out))


def chart(content: dict, *, width: int = 640, bar_height: int = 16, gap: int = 6, label_width: int = 200,
          labels_above: bool = False) -> dict:
    """A horizontal stacked bar chart of each region's permits by category, as numbers an SVG
    template draws (no script). `labels_above`: the narrow screen's variant, each region's name
    over its bar, so that the bars keep the whole width."""
    rows = sorted(content["regions"], key=lambda r: -r["permits"]["total"])
    biggest = max([r["permits"]["total"] for r in rows] or [0]) or 1
    left = 0 if labels_above else label_width
    label_room = 14 if labels_above else 0
    plot = width - left - 60
    step = bar_height + gap + label_room
    bars = []
    for i, r in enumerate(rows):
        y = i * step + label_room
        x, segments = left, []
        for idx, c in enumerate(CONTRACT_CATEGORIES):
            w = r["permits"][c] * plot / biggest
            if w > 0:
                segments.append({"x": round(x, 2), "w": round(w, 2), "cls": f"qp-cat-{idx + 1}", "category": c,
                                 "count": r["permits"][c]})
            x += w
        bars.append({"y": y, "label_y": (y - 3) if labels_above else (y + bar_height - 4),
                     "total_y": y + bar_height - 4, "name": region_name(r["name"]),
                     "total": r["permits"]["total"], "end": round(x + 4, 2), "segments": segments})
    return {"width": width, "height": max(len(rows) * step, bar_height), "bar_height": bar_height,
            "bars": bars, "label_x": 0 if labels_above else label_width - 6,
            "anchor": "start" if labels_above else "end", "categories": CONTRACT_CATEGORIES}


def decision_context(distribution: Distribution, content: dict) -> dict:
    """What the decision PDF shows: the content's tables and the version's facts."""
    versions = [{**v, "published_at": dt.datetime.fromisoformat(v["published_at"])} for v in content["versions"]]
    return {"content": content, "t": table(content), "distribution": distribution, "campaign": distribution.campaign,
            "categories": CONTRACT_CATEGORIES, "sha256": distribution.content_sha256, "versions": versions}


# --- the approver's page ---------------------------------------------------------------------------

def proposal_figures(distribution: Distribution) -> dict:
    """A proposal's cells by region with the regions' requests (their latest sent Annex 2 and 3)
    and last year's published quota: what the approver weighs."""
    campaign = distribution.campaign
    cells = list(DistributionCell.objects.filter(distribution=distribution).select_related("region", "country"))
    by_region: dict = defaultdict(lambda: {"permits": dict.fromkeys(CONTRACT_CATEGORIES, 0), "immigrants": 0,
                                           "countries": {}})
    regions, countries = {}, {}
    for cell in cells:
        regions[cell.region_id] = cell.region
        row = by_region[cell.region_id]
        if cell.component == Component.PERMITS:
            row["permits"][CATEGORY_KEYS[cell.category]] += cell.count
        elif cell.component == Component.COUNTRIES:
            countries[cell.country.alpha2] = cell.country
            row["countries"][cell.country.alpha2] = cell.count
        else:
            row["immigrants"] += cell.count
    requests = {r["region"].pk: r for r in submission_selectors.national_totals(campaign)}
    last = (Distribution.objects.filter(campaign__year=campaign.year - 1, status=S.PUBLISHED)
            .order_by("-number").first())
    last_content = published_content(last) if last and last.published_json else None
    last_by_code = {r["code"]: r for r in last_content["regions"]} if last_content else {}
    codes = sorted(countries)
    rows = []
    for region in sorted(regions.values(), key=lambda r: r.name):
        row = by_region[region.pk]
        req = requests.get(region.pk)
        prev = last_by_code.get(region.code)
        rows.append({
            "region": region, "permits": [row["permits"][c] for c in CONTRACT_CATEGORIES],
            "total": sum(row["permits"].values()), "immigrants": row["immigrants"],
            "countries": [row["countries"].get(a, 0) for a in codes],
            "requested": req["total"] if req else None, "li_need": req["li_need"] if req else None,
            "last_year": prev["permits"]["total"] if prev else None,
        })
    national = [sum(r["permits"][i] for r in rows) for i in range(len(CONTRACT_CATEGORIES))]
    requested = [sum(r[f] for r in requests.values()) for f in submission_selectors.CATEGORY_FIELDS.values()]
    history = (QuotaHistory.objects.filter(year=campaign.year - 1).order_by("period").first())
    history_categories = ([getattr(history, f) for f in ("category_1", "category_2", "category_3", "category_4",
                                                         "seasonal")] if history else [None] * 5)
    adjustments = (list(ScenarioAdjustment.objects.filter(scenario_id=distribution.scenario_id)
                        .select_related("region")) if distribution.scenario_id else [])
    return {
        "rows": rows, "country_codes": codes, "countries": [countries[a] for a in codes],
        "country_totals": [sum(r["countries"][i] for r in rows) for i in range(len(codes))],
        "national": national, "regions_total": sum(national), "requested": requested,
        "requested_total": sum(requested) if requests else None, "has_requests": bool(requests),
        "last_year": history_categories, "last_year_total": (sum(x for x in history_categories if x)
                                                             if history else None),
        "last_year_period": history.period if history else None,
        "immigrants_total": sum(r["immigrants"] for r in rows),
        "li_need_total": sum(r["li_need"] for r in requests.values()) if requests else None,
        "adjustments": adjustments, "category_labels": [Category(c).label for c in CATEGORY_KEYS],
    }


def distributions_by_year() -> list[dict]:
    """Every distribution (the Ministry's reading: proposals included), grouped by year, newest first."""
    groups: dict = defaultdict(list)
    for d in (Distribution.objects.select_related("campaign", "proposed_by", "approved_by", "published_by")
              .order_by("-campaign__year", "-pk")):
        groups[d.campaign.year].append(d)
    return [{"year": year, "distributions": items} for year, items in groups.items()]


def awaiting(status: str) -> list[Distribution]:
    return list(Distribution.objects.filter(status=status).select_related("campaign").order_by("campaign__year"))
