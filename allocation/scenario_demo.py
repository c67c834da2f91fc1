"""Demo of the 2027 quota (run by `seed_demo` after the publication and redistribution steps, so that
"last year" shows the 2026 quota): the national labour force (the real 2025 figure, from the fixture
allocation/fixtures/labour_force_demo.json), two scenarios built on the regions' sent annexes and the
agreed proposals, and the second proposed by ministry@demo.kz, awaiting approver@demo.kz.
Idempotent: what is already there is left as it is."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from quota_portal.core.calendar import ALMATY
from quota_portal.core.models import Campaign, Membership, Region, Role

from .quota_compute import Adjustment, ScenarioInputs
from .quota_models import Distribution, LabourForce, Scenario
from .scenario_services import LabourForceRow, ScenarioData, labour_force_save, scenario_create, scenario_propose

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "labour_force_demo.json"
ANALYST = "ministry@demo.kz"
NAME_1 = "Как в 2026 году: 0,25 %, резерв 1 000"
NAME_2 = "0,22 % с резервом 2 000 и приоритетом Астаны"
PROPOSAL_REASON = ("Сводные заявки акиматов (приложения 2-4) и согласованные предложения центральных "
                   "государственных органов; 0,22 % рабочей силы, резерв 2 000 для перераспределения (п.21).")


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def travel(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


def seed(*, stdout) -> None:
    campaign = Campaign.objects.filter(year=2027).first()
    membership = Membership.objects.filter(user__email=ANALYST, role=Role.MINISTRY_ANALYST).select_related(
        "user").first()
    if campaign is None or membership is None:
        stdout.write("  quota scenarios: the 2027 campaign or ministry@demo.kz is missing, skipped")
        return
    analyst = membership.user
    figure = json.loads(FIXTURE.read_text(encoding="utf-8"))["national"]
    astana = Region.objects.get(code="710000000")
    with transaction.atomic():
        if not LabourForce.objects.filter(campaign=campaign, region__isnull=True).exists():
            with travel(at(2026, 11, 20, 10)):
                labour_force_save(actor=analyst, campaign=campaign, rows=[LabourForceRow(
                    region=None, persons=figure["persons"], source=figure["source"],
                    as_of=dt.date.fromisoformat(figure["as_of"]))])
        if not Scenario.objects.filter(campaign=campaign, name=NAME_1).exists():
            with travel(at(2026, 11, 24, 11)):
                scenario_create(actor=analyst, campaign=campaign, data=ScenarioData(
                    name=NAME_1, notes="Те же доли, что в опубликованной квоте 2026 года.",
                    inputs=ScenarioInputs(method="webster", permits_percent=Decimal("0.25"), reserve=1000,
                                          immigrants_percent=Decimal("0.01"))))
        second = Scenario.objects.filter(campaign=campaign, name=NAME_2).first()
        if second is None:
            with travel(at(2026, 11, 25, 15)):
                second = scenario_create(actor=analyst, campaign=campaign, data=ScenarioData(
                    name=NAME_2, inputs=ScenarioInputs(
                        method="hamilton", permits_percent=Decimal("0.22"), reserve=2000,
                        immigrants_percent=Decimal("0.008"),
                        adjustments=(Adjustment(astana.pk, "4", 150, "Строительство ТЭЦ-3 г. Астаны: сварщики сверх "
                                                                     "заявки, согласовано с Минэнерго"),))))
        if not Distribution.objects.filter(campaign=campaign).exists():
            with travel(at(2026, 11, 26, 16)):
                scenario_propose(actor=analyst, scenario=second, reason=PROPOSAL_REASON)
    stdout.write(f"  quota scenarios: labour force 2027, {Scenario.objects.filter(campaign=campaign).count()} "
                 "scenarios, one proposed and awaiting approver@demo.kz")
