"""Demo: the 2026 quota published as version 1 (Rules p.19), run by `seed_demo` (order 370).

The national figures are the real ones of 2026 (allocation/fixtures/quotas_history.json, period
"2026": permits 0.25 % of the labour force, by category 726 / 3402 / 5893 / 3131 / 4994, labour
immigrants 2.9 %; Order of the acting Minister of Labour No. 397 of 12.12.2025). The regional split
is not published: it is apportioned (Webster) by the regions' 2025 quotas
(allocation/fixtures/quota_by_region_2025.csv, six regions) with a default weight for the others
(from their population);
labour immigrants by the regions' population. Labour force 9,720,000 (../shared/data/labour_force.csv:
2025, zakon.kz). The analyst proposes on 10 Dec 2025, the approver approves on 12 Dec (the day of the
distribution) and publishes on 15 Dec; the services run at those moments (time_machine).
Idempotent: nothing is done when 2026 already has a published version.
"""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from quota_portal.core.calendar import ALMATY
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign, Membership, Region, Role

from . import quota_services as services
from .apportion import apportion
from .quota_models import Distribution, DistributionStatus

YEAR = 2026
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quota_by_region_2025.csv"
LABOUR_FORCE = 9_720_000
LABOUR_FORCE_SOURCE = ("Бюро национальной статистики АСПиР РК: рабочая сила 9,72 млн человек (2025), "
                       "zakon.kz, февраль 2026")
PERMITS_PERCENT, IMMIGRANTS_PERCENT = Decimal("0.25"), Decimal("2.9")
CATEGORIES = {"1": 726, "2": 3402, "3": 5893, "4": 3131, "S": 4994}
# Regions without a 2025 figure in the fixture weigh by their population: 0.45 per thousand people
# (the six regions of the fixture had about 1.1 permits per thousand, the others much less).
DEFAULT_WEIGHT_PER_THOUSAND = Decimal("0.45")
# Population, thousands (beginning of 2025, rounded): the weights of the labour-immigrant quota.
POPULATION = {
    "100000000": 603, "110000000": 787, "150000000": 937, "190000000": 1531, "230000000": 702,
    "270000000": 691, "310000000": 1222, "330000000": 699, "350000000": 1134, "390000000": 825,
    "430000000": 835, "470000000": 787, "550000000": 752, "590000000": 527, "610000000": 2150,
    "620000000": 221, "630000000": 716, "710000000": 1510, "750000000": 2300, "790000000": 1250,
}
ANALYST_EMAILS = ("analyst@demo.kz", "ministry@demo.kz")
APPROVER_EMAIL = "approver@demo.kz"
REASON = ("Квота на 2026 год по заявкам акиматов (приложения 2-4 Правил) и согласованным предложениям центральных "
          "государственных органов; проект приказа Министра труда и социальной защиты населения № 397.")
OVERRIDE = ("Квота установлена по категориям в пределах заявок регионов (18 146 разрешений); 0,25 % рабочей силы "
            "(24 300) — верхняя граница, а не обязательный объём (п.4 Правил).")
IMMIGRANTS_OVERRIDE = ""


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def travel(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


def region_weights() -> dict[str, int]:
    """KATO code -> weight: the region's 2025 quota where the fixture has it, else a default weight
    from its population."""
    known = {}
    with FIXTURE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            known[row["region_code"]] = int(row["permits_quota"])
    return {code: known.get(code, int(POPULATION[code] * DEFAULT_WEIGHT_PER_THOUSAND)) for code in POPULATION}


def figures() -> services.DistributionFigures:
    regions = dict(Region.objects.filter(code__in=POPULATION).values_list("code", "pk"))
    weights = {code: w for code, w in region_weights().items() if code in regions}
    permits = {}
    for category, total in CATEGORIES.items():
        for code, n in apportion(total, weights).items():
            permits[(regions[code], category)] = n
    permits_total = sum(CATEGORIES.values())
    immigrants_computed = int(LABOUR_FORCE * IMMIGRANTS_PERCENT / 100)
    immigrants = {regions[code]: n for code, n in apportion(
        immigrants_computed, {c: p for c, p in POPULATION.items() if c in regions}).items()}
    return services.DistributionFigures(
        labour_force=LABOUR_FORCE, labour_force_source=LABOUR_FORCE_SOURCE, method="webster",
        permits_percent=PERMITS_PERCENT, permits_computed=int(LABOUR_FORCE * PERMITS_PERCENT / 100),
        permits_total=permits_total, reserve=0, permits_override_reason=OVERRIDE,
        immigrants_percent=IMMIGRANTS_PERCENT, immigrants_computed=immigrants_computed,
        immigrants_total=sum(immigrants.values()), permits=permits, immigrants=immigrants)


def _user(emails, role):
    for email in emails:
        membership = Membership.objects.filter(user__email=email, role=role).select_related("user").first()
        if membership:
            return membership.user
    return None


def seed(*, stdout) -> None:
    analyst = _user(ANALYST_EMAILS, Role.MINISTRY_ANALYST)
    approver = _user([APPROVER_EMAIL], Role.MINISTRY_APPROVER)
    if analyst is None or approver is None:
        stdout.write("  publication: the demo analyst or approver is missing, skipped")
        return
    campaign = Campaign.objects.filter(year=YEAR).first()
    if campaign is None:
        campaign = Campaign.for_year(YEAR)
        campaign.save()
    if Distribution.objects.filter(campaign=campaign, status=DistributionStatus.PUBLISHED).exists():
        stdout.write(f"  publication: the {YEAR} quota is already published")
        return
    if Region.objects.filter(code__in=POPULATION).count() != len(POPULATION):
        stdout.write("  publication: the regions are not loaded, skipped")
        return
    try:
        with travel(at(2025, 12, 10, 11)):
            proposal = services.distribution_propose(actor=analyst, campaign=campaign, figures=figures(),
                                                     reason=REASON)
        with travel(at(2025, 12, 12, 16)):
            approved = services.distribution_approve(actor=approver, distribution=proposal,
                                                     distributed_on=dt.date(2025, 12, 12))
        with travel(at(2025, 12, 15, 9, 30)):
            published = services.distribution_publish(actor=approver, distribution=approved)
    except DomainError as exc:
        stdout.write(f"  publication: not published ({exc.message}). If the signing certificate is newer than "
                     "December 2025: python manage.py make_signing_cert --force")
        return
    stdout.write(f"  publication: quota {YEAR} published as version {published.number} "
                 f"({published.permits_total} permits, {published.immigrants_total} labour immigrants)")
