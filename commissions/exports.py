"""The akimat's exports, through the export layer (quota_portal.core.exports): the labour-market
figures (also the import template, Rules p.7(1)-(3)) and the inbox list of applications (p.7)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from applications.models import Application
from quota_portal.core.exports import Column, Exporter, TableLayout
from quota_portal.core.models import Category

from . import selectors
from .models import LabourMarketFigure

# The inbox's per-category columns, in the forms' order (Annexes 1, 2, 4).
CATEGORY_KEYS = {Category.CAT1: "cat_1", Category.CAT2: "cat_2", Category.CAT3: "cat_3", Category.CAT4: "cat_4",
                 Category.SEASONAL: "seasonal"}


class FiguresExporter(Exporter):
    """The region's labour-market figures for a campaign, one row per occupation.

    The same sheet is the import template: `FIGURES_LAYOUT` writes the columns' keys under the
    headers, and `xlsx.parse_figures` finds its columns by that row, whatever the language.
    """

    identifier = "labour-market"

    def __init__(self, *, region, campaign):
        self.region, self.campaign = region, campaign

    def title(self) -> str:
        return "labour_market"  # the sheet's name is part of the template, the same in every language

    def columns(self) -> list[Column]:
        fields = {f.name: f for f in LabourMarketFigure._meta.fields}
        return ([Column("occupation", _("occupation code"), width=16)]
                + [Column(name, fields[name].verbose_name, "int", width=16)
                   for name in LabourMarketFigure.NUMBER_FIELDS]
                + [Column("note", _("note"), width=40)])

    def rows(self):
        figures = (LabourMarketFigure.objects.filter(region=self.region, campaign=self.campaign)
                   .select_related("occupation").order_by("occupation__code"))
        for figure in figures.iterator(chunk_size=500):
            yield [figure.occupation.code, *[getattr(figure, n) for n in LabourMarketFigure.NUMBER_FIELDS],
                   figure.note]

    def filename(self, ext: str) -> str:
        return f"labour-market-{self.region.code}-{self.campaign.year}.{ext}"


# Headers, then the machine row of keys; the occupation column stays in view.
FIGURES_LAYOUT = TableLayout(key_row=True, freeze_columns=1, autofilter=False, header_height=60)


class InboxExporter(Exporter):
    """The akimat's inbox as a table: the applications the filters select (all pages), what each
    requests per category, its status and its generalization (Rules p.7)."""

    identifier = "applications"

    def __init__(self, *, region, campaign, filters: dict):
        self.region, self.campaign, self.filters = region, campaign, filters

    def title(self) -> str:
        return _("Applications for quota %(year)s") % {"year": self.campaign.year}

    def columns(self) -> list[Column]:
        requested = _("Requested")
        return [
            Column("registration_number", _("Registration No."), width=22),
            Column("employer", _("Employer"), width=40),
            Column("bin_iin", _("BIN/IIN"), width=14),
            *[Column(key, label, "int", width=14, group=requested)
              for key, label in zip(CATEGORY_KEYS.values(), Category.labels, strict=False)],
            Column("requested", _("Total requested"), "int", width=12),
            Column("status", _("Status"), width=24),
            Column("outcome", _("Decision"), width=24),
            Column("generalized_at", _("Generalized"), "date", width=13),
        ]

    def _applications(self):
        return selectors.inbox(region=self.region, campaign=self.campaign, filters=self.filters)

    def rows(self):
        outcomes = dict(Application.Outcome.choices)
        for app in self._applications().iterator(chunk_size=500):
            by_category = dict.fromkeys(CATEGORY_KEYS, 0)
            for line in app.lines.all():
                by_category[line.category] += line.count
            generalization = getattr(app, "generalization", None)
            # Only a signed decision is the outcome: one recorded but unsigned may still change.
            yield [app.registration_number or str(app.pk), app.organization.name, app.organization.bin_iin,
                   *by_category.values(), sum(by_category.values()), app.get_status_display(),
                   str(outcomes[app.outcome]) if app.outcome else "",
                   generalization.generalized_at if generalization else None]

    def totals(self) -> list:
        sums = {t["category"]: t["total"] for t in selectors.totals_by_category(self._applications())}
        values = [sums.get(category, 0) for category in CATEGORY_KEYS]
        return [_("Total"), None, None, *values, sum(values), None, None, None]

    def filename(self, ext: str) -> str:
        return f"applications-{self.region.code}-{self.campaign.year}.{ext}"
