import datetime as dt

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from quota_portal.core import calendar
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


@pytest.mark.parametrize(("moment", "phase", "label"), [
    (almaty(2025, 10, 31, 23, 59, 59), "upcoming", "Not yet open"),
    (almaty(2025, 11, 1, 0, 0, 0), "filing", "Employers are filing applications (p.6)"),
    (almaty(2026, 9, 30, 23, 59, 59), "filing", "Employers are filing applications (p.6)"),
    (almaty(2026, 10, 1, 0, 0, 0), "generalization", "Akimats are generalizing applications (p.7)"),
    (almaty(2026, 10, 10, 0, 0, 0), "commission", "Commissions are reviewing applications (p.8-10)"),
    (almaty(2026, 10, 15, 23, 59, 59), "commission", "Commissions are reviewing applications (p.8-10)"),
    (almaty(2026, 10, 16, 0, 0, 0), "submission", "Akimats are sending submissions to the Ministry (p.12)"),
    (almaty(2026, 11, 25, 12, 0, 0), "distribution", "The Ministry is setting and distributing the quota (p.19)"),
    (almaty(2027, 1, 1, 0, 0, 0), "publication", "The Ministry is publishing the distribution (p.19)"),
    (almaty(2027, 3, 1, 0, 0, 0), "quota_year",
     "The quota year: the quota is in force and may be redistributed (p.21)"),
    (almaty(2027, 12, 31, 23, 59, 59), "quota_year",
     "The quota year: the quota is in force and may be redistributed (p.21)"),
    (almaty(2028, 1, 1, 0, 0, 0), "closed", "Closed: the quota year is over"),
])
def test_the_phase_follows_the_deadlines_on_the_almaty_clock(moment, phase, label):
    campaign = Campaign.for_year(2027)
    with time_machine.travel(moment, tick=False), translation.override("en"):
        assert campaign.phase == phase
        assert campaign.get_phase_display() == label


def test_the_phase_labels_are_translated():
    campaign = Campaign.for_year(2027)
    with time_machine.travel(almaty(2027, 3, 1, 12, 0, 0), tick=False):
        for lang in ("ru", "kk"):
            with translation.override(lang):
                label = str(campaign.get_phase_display())
                assert label == gettext("The quota year: the quota is in force and may be redistributed (p.21)")


def test_publication_lasts_until_the_end_of_the_nth_working_day_after_the_last_distribution_day():
    campaign = Campaign.for_year(2027)  # distribution until 1 Jan 2027: the last day is 31 Dec 2026
    last = calendar.add_working_days(dt.date(2026, 12, 31), 3)
    assert campaign.publication_deadline == last and last >= dt.date(2027, 1, 5)  # 1-2 Jan are holidays
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.ALMATY)
    with time_machine.travel(end - dt.timedelta(seconds=1), tick=False):
        assert campaign.phase == "publication"
    with time_machine.travel(end, tick=False):
        assert campaign.phase == "quota_year"
    campaign.publication_working_days = 5
    assert campaign.publication_deadline == calendar.add_working_days(dt.date(2026, 12, 31), 5) > last
    with time_machine.travel(end, tick=False):
        assert campaign.phase == "publication"


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
    assert passed == {"filing": True, "generalization": True, "labour_immigrants": True, "commission": False,
                      "submission": False, "proposals": False, "distribution": False}


def test_quota_2028_filing_is_open_on_25_november_2026():
    with time_machine.travel(almaty(2026, 11, 25, 10, 0, 0), tick=False):
        assert Campaign.for_year(2028).filing_open
        assert not Campaign.for_year(2027).filing_open
