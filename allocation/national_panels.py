"""The Ministry's dashboard panel: how many regions have sent Annexes 2-4 (Rules p.12, p.16, p.17)."""
from __future__ import annotations

from quota_portal.core.selectors import working_campaign

from . import national_selectors as selectors
from . import submission_selectors


def ministry_panel(request):
    campaign = working_campaign()
    if campaign is None:
        return None
    counts = selectors.status_counts(submission_selectors.region_status(campaign))
    return ("allocation/national/_panel.html", {"campaign": campaign, "counts": counts,
                                                 "deadline_row": selectors.deadline_row(campaign)})
