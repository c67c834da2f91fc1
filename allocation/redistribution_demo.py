"""Demo redistribution and permits used (Rules p.5, p.21), run by `seed_demo` after the publication step
that publishes the 2026 quota as version 1 (order 370).

The akimat of Astana (akimat.astana@demo.kz) asks for 50 permits of category 3 from Atyrau (or as many as
Atyrau holds, from whichever of the two holds more, if less), the analyst endorses it two days later, the
approver (approver@demo.kz) approves it three days after that: version 2 of 2026. Then the akimats of
Astana, Atyrau, Almaty, Shymkent and Kostanay record the permits they issued through the year (one
region close to its ceiling in one category, so that the warning shows). The services run at those
moments (time_machine travels the clock). Nothing is created when no 2026 version is published;
idempotent otherwise (the request by its reason, the permits by region).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from quota_portal.core.calendar import ALMATY
from quota_portal.core.models import Authority, Campaign, Region, Role, User

from . import redistribution_services as services
from . import redistribution_use as use
from .quota_models import PermitUse, Redistribution
from .quota_services import current_version, published_versions

ASTANA, ATYRAU = "710000000", "230000000"
REASON = ("Ввод второй очереди ТЭЦ-3 г. Астаны перенесён на 2026 год: работодатели города обратились за "
          "разрешениями на 50 специалистов (3 категория) сверх распределённой квоты; в Атырауской области "
          "проект «Полимер-2» отложен, и 50 разрешений 3 категории не будут использованы до конца года.")
# More regions that record permits (Almaty, Shymkent, Kostanay), by their demo officers akimat.<code>@demo.kz.
MORE = ["750000000", "790000000", "390000000"]


def at(day: dt.date, h=11):
    return dt.datetime(day.year, day.month, day.day, h, tzinfo=ALMATY)


def travel(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


def _user(email: str, role: str) -> User | None:
    return User.objects.filter(email=email, memberships__role=role).first()


def _redistribute(campaign, v1, stdout) -> None:
    if Redistribution.objects.filter(campaign=campaign, reason=REASON).exists():
        return
    astana, atyrau = Region.objects.get(code=ASTANA), Region.objects.get(code=ATYRAU)
    asker = _user("akimat.astana@demo.kz", Role.AKIMAT_OFFICER)
    analyst = _user("analyst@demo.kz", Role.MINISTRY_ANALYST) or _user("ministry@demo.kz", Role.MINISTRY_ANALYST)
    approver = _user("approver@demo.kz", Role.MINISTRY_APPROVER)
    if not (asker and analyst and approver):
        stdout.write("  redistribution: the demo users are missing, skipped")
        return
    cells = services.permits_cells(current_version(campaign))
    source = atyrau if cells.get((atyrau.pk, "3"), 0) >= 50 else None
    n = 50 if source else min(50, v1.reserve)
    if n < 1:
        stdout.write("  redistribution: neither Atyrau nor the reserve holds category 3, skipped")
        return
    day = max(v1.published_at.astimezone(ALMATY).date() + dt.timedelta(days=30), dt.date(2026, 6, 8))
    day = min(day, dt.date(2026, 12, 1))
    with travel(at(day)):
        request = services.redistribution_request(
            actor=asker, authority=Authority.objects.get(kind=Authority.Kind.AKIMAT, region=astana),
            campaign=campaign, from_region=source, to_region=astana, category="3", count=n, reason=REASON)
    with travel(at(day + dt.timedelta(days=2), 15)):
        request = services.redistribution_endorse(actor=analyst, redistribution=request)
    with travel(at(day + dt.timedelta(days=5), 10)):
        services.redistribution_approve(actor=approver, redistribution=request)
    stdout.write(f"  redistribution: {n} of category 3 to Astana, 2026 version {current_version(campaign).number}")


def _permits(campaign, stdout) -> None:
    cells = services.permits_cells(current_version(campaign))
    officers = [(Region.objects.get(code=ASTANA), _user("akimat.astana@demo.kz", Role.AKIMAT_OFFICER)),
                (Region.objects.get(code=ATYRAU), _user("akimat.atyrau@demo.kz", Role.AKIMAT_OFFICER))]
    officers += [(region, _user(f"akimat.{code}@demo.kz", Role.AKIMAT_OFFICER))
                 for code in MORE for region in Region.objects.filter(code=code)]
    # The share of each category issued by the day of the demo; Astana's category 3 near its ceiling.
    shares = {"1": 0.6, "2": 0.55, "3": 0.7, "4": 0.65, "S": 0.8}
    recorded = 0
    for i, (region, officer) in enumerate(officers):
        if officer is None or PermitUse.objects.filter(campaign=campaign, region=region).exists():
            continue
        for category, share in shares.items():
            ceiling = cells.get((region.pk, category), 0)
            target = int(ceiling * (0.93 if (i == 0 and category == "3") else share - 0.05 * i))
            if target < 2:
                continue
            # Two batches: spring and autumn.
            for month, part in ((4, target // 2), (9, target - target // 2)):
                issued = dt.date(2026, month, 10 + i)
                with travel(at(issued + dt.timedelta(days=3))):
                    use.permit_record(actor=officer, campaign=campaign, region=region, category=category,
                                      count=part, issued_on=issued,
                                      reference=f"РВ-{region.code[:2]}-{month:02d}{category}-{part}")
                recorded += 1
    stdout.write(f"  permits used: {recorded} batches in {len(officers)} regions")


def seed(*, stdout) -> None:
    campaign = Campaign.objects.filter(year=2026).first()
    versions = list(published_versions(campaign)) if campaign else []
    if not versions:
        stdout.write("  redistribution: no 2026 version is published, skipped")
        return
    with transaction.atomic():
        _redistribute(campaign, versions[0], stdout)
        _permits(campaign, stdout)
