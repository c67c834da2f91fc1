"""Read-side queries of the commissions app, used by its views and by other apps.

Contracts other apps code against (keep the signatures):
- `employer_open_violations(organization=, campaign=)`: p.10(2)/(3) violations still open.
- `labour_market_warnings(application=)`: lines that domestic labour could fill (p.10(1)).
- `application_decision(application=)`: the current signed decision, for the employer's page.
- `dashboard_panel(request)`: the dashboard panel.
"""
from __future__ import annotations

from applications.models import Application

from .models import LabourMarketFigure, Violation


def violation_years(campaign) -> tuple[int, int]:
    """The "previous and current year" of p.10(2)-(3), counted from the filing year Y-1."""
    filing_year = campaign.year - 1
    return filing_year - 1, filing_year


def employer_open_violations(*, organization, campaign) -> list:
    """Unremedied violations of the employer in the previous or current year (Rules p.10(2), (3))."""
    return list(
        Violation.objects.filter(organization=organization, remedied_on__isnull=True,
                                 year__in=violation_years(campaign))
        .order_by("ground", "-year", "pk")
    )


def figures_for(*, region, campaign, occupations) -> dict:
    """{occupation_id: LabourMarketFigure} for the occupations given."""
    ids = {getattr(o, "pk", o) for o in occupations}
    return {f.occupation_id: f for f in LabourMarketFigure.objects.filter(
        region=region, campaign=campaign, occupation_id__in=ids)}


def labour_market_warnings(*, application) -> list[dict]:
    """Lines whose occupation has enough registered jobseekers in the region (Rules p.10(1))."""
    lines = list(application.lines.select_related("occupation"))
    figures = figures_for(region=application.region, campaign=application.campaign,
                          occupations=[line.occupation_id for line in lines])
    warnings = []
    for line in lines:
        fig = figures.get(line.occupation_id)
        if fig is not None and fig.jobseekers >= line.count:
            warnings.append({"line": line, "occupation": line.occupation,
                             "jobseekers": fig.jobseekers, "requested": line.count})
    return warnings


def application_decision(*, application) -> dict | None:
    """The current (latest signed) decision on the application, for the employer's page."""
    from .decisions import current_decision_summary

    return current_decision_summary(application)


def dashboard_panel(request):
    """(template, context) for this app's panel on the acting user's dashboard, or None."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    if membership.is_akimat:
        from .panels import akimat_panel

        return akimat_panel(request)
    if membership.is_ministry:
        from .panels import ministry_panel

        return ministry_panel(request)
    return None


__all__ = ["Application", "employer_open_violations", "labour_market_warnings",
           "application_decision", "dashboard_panel", "violation_years", "figures_for"]
