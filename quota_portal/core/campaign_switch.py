"""The akimat's year (campaign) switch: which quota year an akimat page shows.

The akimat works on several campaigns at once: the one under review (filing closed) and the one
open for filing, whose applications it may read. Every akimat page (inbox, labour market,
generalization, sessions, notices, violations, dashboard) shows one campaign, chosen with
?campaign=<year> and kept in the session for the next pages; by default the working campaign
(selectors.working_campaign). Only campaigns whose filing has opened can be chosen.
"""
from __future__ import annotations

from .models import Campaign
from .selectors import campaigns_filing_opened, working_campaign

SESSION_KEY = "qp_campaign_year"


def chosen_campaign(request) -> tuple[Campaign | None, list[Campaign]]:
    """(the campaign the page shows, the campaigns to choose from, newest first)."""
    campaigns = campaigns_filing_opened()
    by_year = {str(c.year): c for c in campaigns}
    asked = request.GET.get("campaign", "")
    session = getattr(request, "session", None)
    if asked in by_year:
        if session is not None:
            session[SESSION_KEY] = asked
        return by_year[asked], campaigns
    kept = session.get(SESSION_KEY, "") if session is not None else ""
    if kept in by_year:
        return by_year[kept], campaigns
    default = working_campaign()
    if default is not None and default not in campaigns:
        campaigns = [default, *campaigns]
    return default, campaigns
