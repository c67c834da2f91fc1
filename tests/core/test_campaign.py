import datetime as dt

import pytest
import time_machine

from quota_portal.core.errors import DeadlinePassed, ensure_open
from quota_portal.core.models import Campaign
from tests.conftest import almaty

pytestmark = pytest.mark.django_db


def test_the_2027_campaign_has_the_rules_dates():
    c = Campaign.for_year(2027)
    assert (c.filing_opens, c.filing_deadline) == (dt.date(2025, 11, 1), dt.date(2026, 10, 1))
    assert c.generalization_deadline == dt.date(2026, 10, 10)
    assert (c.commission_deadline, c.commission_deadline_kind) == (dt.date(2026, 10, 15), "no_later_than")
    assert c.submission_deadline == c.proposals_deadline == dt.date(2026, 11, 1)
    assert c.distribution_deadline == dt.date(2027, 1, 1)


@pytest.mark.parametrize(("moment", "phase"), [
    (almaty(2025, 10, 31, 23, 59, 59), "upcoming"),
    (almaty(2025, 11, 1, 0, 0, 0), "filing"),
    (almaty(2026, 9, 30, 23, 59, 59), "filing"),
    (almaty(2026, 10, 1, 0, 0, 0), "generalization"),
    (almaty(2026, 10, 10, 0, 0, 0), "commission"),
    (almaty(2026, 10, 15, 23, 59, 59), "commission"),
    (almaty(2026, 10, 16, 0, 0, 0), "submission"),
    (almaty(2026, 11, 25, 12, 0, 0), "distribution"),
    (almaty(2027, 1, 1, 0, 0, 0), "closed"),
])
def test_the_phase_follows_the_deadlines_on_the_almaty_clock(moment, phase):
    campaign = Campaign.for_year(2027)
    with time_machine.travel(moment, tick=False):
        assert campaign.phase == phase
        assert campaign.get_phase_display()


def test_filing_until_1_october_is_open_at_23_59_59_and_closed_at_midnight():
    campaign = Campaign.for_year(2027)
    with time_machine.travel(almaty(2026, 9, 30, 23, 59, 59), tick=False):
        ensure_open(campaign, "filing", "6")
        assert campaign.filing_open
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 0), tick=False):
        with pytest.raises(DeadlinePassed) as info:
            ensure_open(campaign, "filing", "6")
        assert "6" in info.value.message
        assert not campaign.filing_open


def test_the_timeline_marks_passed_deadlines():
    campaign = Campaign.for_year(2027)
    with time_machine.travel(almaty(2026, 10, 12, 9, 0, 0), tick=False):
        passed = {row["name"]: row["passed"] for row in campaign.deadlines()}
    assert passed == {"filing": True, "generalization": True, "commission": False, "submission": False,
                      "proposals": False, "distribution": False}


def test_quota_2028_filing_is_open_on_25_november_2026():
    with time_machine.travel(almaty(2026, 11, 25, 10, 0, 0), tick=False):
        assert Campaign.for_year(2028).filing_open
        assert not Campaign.for_year(2027).filing_open
