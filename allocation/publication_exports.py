"""The published quota as CSV and XLSX (core/exports): a row per region, then the national reserve,
rendered from the published content so that every format carries the same numbers."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quota_portal.core.exports import Column, Exporter

from .publication_content import CONTRACT_CATEGORIES
from .publication_selectors import country_columns, country_names, region_name

CATEGORY_HEADERS = {"1": gettext_lazy("Cat. 1"), "2": gettext_lazy("Cat. 2"), "3": gettext_lazy("Cat. 3"),
                    "4": gettext_lazy("Cat. 4"), "seasonal": gettext_lazy("Seasonal")}


class QuotaExporter(Exporter):
    """Columns: KATO code, region, permits by category and their total, labour immigrants, then a
    column per country of origin. The last data row is the national reserve (permits total only),
    so that the permits' total column sums to `permits.total` of the JSON."""

    identifier = "quota"

    def __init__(self, content: dict):
        self.content = content
        self.codes = country_columns(content)

    def title(self):
        return _("Quota %(year)s, version %(number)s") % {"year": self.content["year"],
                                                          "number": self.content["version"]}

    def filename(self, ext: str) -> str:
        return f"quota-{self.content['year']}-v{self.content['version']}.{ext}"

    def columns(self):
        permits = _("Permits issued by local executive bodies")
        names = country_names(self.content)
        return [
            Column("code", _("KATO code"), width=12),
            Column("region", _("Region"), width=36),
            *[Column(f"permits_{c}", CATEGORY_HEADERS[c], "int", group=permits) for c in CONTRACT_CATEGORIES],
            Column("permits_total", _("Total"), "int", group=permits),
            Column("labour_immigrants", _("Labour immigrants"), "int", width=14),
            *[Column(f"country_{a}", names[a], "int", group=_("Countries of origin")) for a in self.codes],
        ]

    def rows(self):
        for r in self.content["regions"]:
            yield [r["code"], region_name(r["name"]), *[r["permits"][c] for c in CONTRACT_CATEGORIES],
                   r["permits"]["total"], r["labour_immigrants"], *[r["countries"].get(a, 0) for a in self.codes]]
        yield ["", _("National reserve"), *[None] * len(CONTRACT_CATEGORIES), self.content["permits"]["reserve"],
               None, *[None] * len(self.codes)]

    def totals(self):
        p = self.content["permits"]
        return ["", _("Total"), *[p["by_category"][c] for c in CONTRACT_CATEGORIES], p["total"],
                self.content["labour_immigrants"]["total"],
                *[sum(r["countries"].get(a, 0) for r in self.content["regions"]) for a in self.codes]]
