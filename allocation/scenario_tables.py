"""The tables and charts of the quota workspace, shaped for the templates from a Picture and the
figures compute() gives: region x category rows with national totals, against what the regions
asked for and last year's quota. Pure: no query."""
from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .quota_compute import CATEGORIES, Picture, unclaimed
from .scenario_charts import Group, Series, bar_chart


def percent_text(value) -> str:
    """A percentage as the reader writes it: 0,25 in Russian and Kazakh, 0.25 in English (the form
    takes either)."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if (get_language() or "ru")[:2] in ("ru", "kk") else text


def category_labels() -> list[tuple[str, str]]:
    return [(c, _("Seasonal") if c == "S" else _("Cat. %(n)s") % {"n": c}) for c in CATEGORIES]


def _sum(mapping: dict, region_id: int) -> int:
    return sum(n for (r, _c), n in mapping.items() if r == region_id)


def _by_category(mapping: dict) -> list[int]:
    return [sum(n for (_r, c), n in mapping.items() if c == cat) for cat in CATEGORIES]


def _last_year_total(p: Picture, region_id: int) -> int | None:
    if p.last_year_source != "distribution":
        return None
    return _sum(p.last_year, region_id)


def picture_context(p: Picture) -> dict:
    """The national picture: per region, approved by category (with requested and proposals beside),
    totals, labour immigrants, countries and last year; the national totals by category."""
    weights = p.weights()
    rows = []
    for region in p.regions:
        cells = [{"approved": p.approved.get((region.pk, c), 0), "requested": p.requested.get((region.pk, c), 0),
                  "proposals": p.proposals.get((region.pk, c), 0)} for c in CATEGORIES]
        rows.append({"region": region, "cells": cells, "sent": region.pk in p.sent_regions,
                     "approved": _sum(p.approved, region.pk), "requested": _sum(p.requested, region.pk),
                     "proposals": _sum(p.proposals, region.pk), "asked": _sum(weights, region.pk),
                     "immigrants": p.immigrants.get(region.pk, 0),
                     "countries": sum(n for (r, _c), n in p.countries.items() if r == region.pk),
                     "last_year": _last_year_total(p, region.pk),
                     "labour_force": p.regional_labour_force.get(region.pk)})
    national = [
        {"label": _("Requested by employers (Annex 1)"), "cells": _by_category(p.requested)},
        {"label": _("Approved by the Commissions (Annex 2)"), "cells": _by_category(p.approved)},
        {"label": _("Agreed central-body proposals"), "cells": _by_category(p.proposals)},
        {"label": _("Asked for in all (Annex 2 and proposals)"), "cells": _by_category(weights)},
        {"label": _("Last year's quota"), "cells": [p.last_year_by_category.get(c) for c in CATEGORIES],
         "last_year": True},
    ]
    for row in national:
        known = [n for n in row["cells"] if n is not None]
        row["total"] = sum(known) if len(known) == len(CATEGORIES) else (p.last_year_total if row.get("last_year")
                                                                          else None)
    totals = {k: sum(r[k] for r in rows) for k in ("approved", "requested", "proposals", "asked", "immigrants",
                                                   "countries")}
    totals["last_year"] = p.last_year_total
    totals["last_year_percent"] = percent_text(p.last_year_percent) if p.last_year_percent is not None else None
    countries = {}
    for (_region_id, country_id), n in p.countries.items():
        countries.setdefault(country_id, 0)
        countries[country_id] += n
    return {"picture": p, "categories": category_labels(), "rows": rows, "national": national, "totals": totals,
            "country_totals": sorted(((p.country_rows[c], n) for c, n in countries.items()),
                                     key=lambda x: -x[1])}


def _series_asked_last() -> list[Series]:
    return [Series("asked", _("Asked for (Annex 2 and proposals)")), Series("last", _("Last year's quota"))]


def results_context(figures, p: Picture, inputs) -> dict:
    """A scenario's results: region x category permits, the region's total against what it asked
    for and last year's quota, labour immigrants and countries; national totals; the chart."""
    if figures is None:
        return {"figures": None, "categories": category_labels()}
    weights = p.weights()
    rows = []
    for region in p.regions:
        cells = [figures.permits.get((region.pk, c), 0) for c in CATEGORIES]
        total = sum(cells)
        asked = _sum(weights, region.pk)
        last = _last_year_total(p, region.pk)
        immigrants = figures.immigrants.get(region.pk, 0)
        countries = sum(n for (r, _c), n in figures.countries.items() if r == region.pk)
        if not (total or asked or last or immigrants or countries):
            continue
        rows.append({"region": region, "cells": cells, "total": total, "asked": asked, "last_year": last,
                     "immigrants": immigrants, "countries": countries, "short": total < asked})
    by_category = _by_category(figures.permits)
    chart = bar_chart(
        chart_id="scenario-chart", title=_("Permits by region: this scenario, what was asked for, last year"),
        description=_("Bars per region; the table above holds the same numbers."),
        series=[Series("scenario", _("This scenario")), *_series_asked_last()],
        groups=[Group(str(r["region"]), (r["total"], r["asked"], r["last_year"])) for r in rows
                if r["total"] or r["asked"] or r["last_year"]])
    return {"figures": figures, "categories": category_labels(), "rows": rows, "by_category": by_category,
            "distributed": sum(by_category), "asked_total": sum(weights.values()),
            "last_year_total": p.last_year_total, "last_year_by_category": [p.last_year_by_category.get(c)
                                                                           for c in CATEGORIES],
            "unclaimed": unclaimed(inputs, figures) if inputs is not None else 0,
            "immigrants_total": sum(r["immigrants"] for r in rows),
            "countries_total": sum(r["countries"] for r in rows), "chart": chart,
            "chart_series": [Series("scenario", _("This scenario")), *_series_asked_last()],
            "labour_force": p.labour_force, "picture": p}


COMPARE_KEYS = ("s1", "s2", "s3", "s4", "s5", "s6")


def compare_context(results: list, p: Picture) -> dict:
    """Scenarios side by side: per region each scenario's permits total, what was asked and last
    year; national totals by category and the p.4 components per scenario; one chart."""
    weights = p.weights()
    usable = [(s, f) for s, f in results if f is not None]
    rows = []
    for region in p.regions:
        totals = [_sum(f.permits, region.pk) for _s, f in usable]
        asked, last = _sum(weights, region.pk), _last_year_total(p, region.pk)
        if not (any(totals) or asked or last):
            continue
        rows.append({"region": region, "totals": totals, "asked": asked, "last_year": last})
    series = [Series(key, s.name) for key, (s, _f) in zip(COMPARE_KEYS, usable, strict=False)]
    series += _series_asked_last()
    chart = bar_chart(chart_id="compare-chart", title=_("Permits by region in the scenarios compared"),
                      description=_("Bars per region; the table holds the same numbers."), series=series,
                      groups=[Group(str(r["region"]), (*r["totals"], r["asked"], r["last_year"])) for r in rows])
    columns = []
    for s, f in usable:
        columns.append({"scenario": s, "figures": f, "by_category": _by_category(f.permits),
                        "percent": percent_text(f.permits_percent),
                        "distributed": sum(f.permits.values())})
    asked_by_category = _by_category(weights)
    category_rows = [{"label": label, "values": [c["by_category"][i] for c in columns],
                      "asked": asked_by_category[i], "last_year": p.last_year_by_category.get(code)}
                     for i, (code, label) in enumerate(category_labels())]
    return {"results": results, "columns": columns, "category_rows": category_rows, "rows": rows,
            "categories": category_labels(),
            "chart": chart, "chart_series": series, "asked_total": sum(weights.values()),
            "asked_by_category": _by_category(weights), "last_year_total": p.last_year_total,
            "last_year_by_category": [p.last_year_by_category.get(c) for c in CATEGORIES],
            "column_totals": [sum(r["totals"][i] for r in rows) for i in range(len(usable))], "picture": p}
