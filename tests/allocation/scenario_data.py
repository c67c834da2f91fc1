"""Arranging the quota workspace for tests: the regions' sent annexes (tests/allocation/national_data.py),
the national labour force and scenarios made through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from allocation.quota_compute import ScenarioInputs
from allocation.scenario_services import LabourForceRow, ScenarioData, labour_force_save, scenario_create

from .national_data import build_national


def with_labour_force(cast, persons: int = 9_720_000):
    return labour_force_save(actor=cast.analyst, campaign=cast.campaign, rows=[
        LabourForceRow(region=None, persons=persons, source="Бюро национальной статистики",
                       as_of=dt.date(2025, 12, 31))])


def build(cast, occupations):
    """Sent annexes of four regions, the labour force, no scenario yet."""
    national = build_national(cast, occupations)
    with_labour_force(cast)
    return national


def scenario(cast, *, name="Базовый", percent="0.0005", reserve=0, immigrants="0.0004", method="webster",
             adjustments=()):
    return scenario_create(actor=cast.analyst, campaign=cast.campaign, data=ScenarioData(
        name=name, inputs=ScenarioInputs(method=method, permits_percent=Decimal(percent), reserve=reserve,
                                         immigrants_percent=Decimal(immigrants), adjustments=tuple(adjustments))))
