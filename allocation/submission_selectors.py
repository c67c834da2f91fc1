"""Reads of the regional submissions (Annexes 2-4), for the akimat's pages and the Ministry's
national view (issue 10)."""
from __future__ import annotations

from .models import SubmissionVersion


def treaty_countries():
    """Rules p.17: the countries with a ratified labour-migration treaty recorded by the Ministry
    (EAEU members are exempt from the quota). The one place this app asks it."""
    from quota_portal.core.models import Country

    return Country.objects.filter(has_ratified_treaty=True, is_eaeu_member=False).order_by("name_ru")


def annex2_draft_rows(*, campaign, region) -> list[dict]:
    """Annex 2 rows built in SQL from the latest signed decision of each application of the region
    (a correction replaces the decision it corrects): organization, current-year count, category
    totals, lines by category/occupation/specialty and the p.7 justification."""
    raise NotImplementedError


def reconciliation(*, campaign, region, rows: list[dict]) -> list[dict]:
    """Per category: the annex's total vs an independent sum over the signed decision lines."""
    raise NotImplementedError


def undecided_applications(*, campaign, region):
    """Filed applications of the region without a signed decision."""
    raise NotImplementedError


def region_status(campaign) -> list[dict]:
    """Per region: not_started / draft / sent / late / resent, with the latest version."""
    raise NotImplementedError


def national_totals(campaign) -> list[dict]:
    """Region x category from the latest sent version of each region."""
    raise NotImplementedError


def version_diff(v_old: SubmissionVersion, v_new: SubmissionVersion) -> dict:
    """Rows added, removed and changed between two versions, and the totals' change."""
    raise NotImplementedError
