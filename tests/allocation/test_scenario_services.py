"""The quota workspace's services (allocation/scenario_services.py): only an analyst acts, whoever
calls; the labour force is recorded all or nothing; a scenario is checked against the national
picture; proposing freezes the figures of the national picture into a distribution."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from allocation.quota_compute import Adjustment, ScenarioInputs, national_picture
from allocation.quota_models import Distribution, DistributionStatus, LabourForce, Scenario, ScenarioAdjustment
from allocation.scenario_services import (
    LabourForceRow,
    ScenarioData,
    labour_force_save,
    scenario_copy,
    scenario_create,
    scenario_delete,
    scenario_propose,
    scenario_save,
)
from quota_portal.core.errors import DomainError
from tests.queries import capture

from .national_data import build_national
from .scenario_data import build, scenario, with_labour_force

pytestmark = pytest.mark.django_db
OTHERS = ("approver", "akimat_officer", "secretary", "central_officer", "employer", "outsider")


def data(name="Сценарий", **inputs) -> ScenarioData:
    return ScenarioData(name=name, inputs=ScenarioInputs(**{"permits_percent": Decimal("0.0005"), **inputs}))


@pytest.mark.parametrize("who", OTHERS)
def test_only_an_analyst_records_builds_or_proposes(cast, who):
    actor = getattr(cast, who)
    row = LabourForceRow(region=None, persons=100, source="x", as_of=dt.date(2026, 1, 1))
    with pytest.raises(DomainError) as refused:
        labour_force_save(actor=actor, campaign=cast.campaign, rows=[row])
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        scenario_create(actor=actor, campaign=cast.campaign, data=data())
    s = scenario_create(actor=cast.analyst, campaign=cast.campaign, data=data())
    for call in (lambda: scenario_save(actor=actor, scenario=s, data=data("Новое"), revision=s.revision),
                 lambda: scenario_copy(actor=actor, scenario=s),
                 lambda: scenario_delete(actor=actor, scenario=s),
                 lambda: scenario_propose(actor=actor, scenario=s, reason="x")):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "forbidden"
    assert not LabourForce.objects.exists() and not Distribution.objects.exists()
    assert list(Scenario.objects.values_list("name", flat=True)) == ["Сценарий"]


def test_the_labour_force_is_recorded_all_or_nothing_and_replaced_per_region(cast):
    good = LabourForceRow(region=None, persons=9_720_000, source="БНС", as_of=dt.date(2025, 12, 31))
    bad = LabourForceRow(region=cast.astana, persons=0, source="", as_of=dt.date(2025, 12, 31))
    with pytest.raises(DomainError) as refused:
        labour_force_save(actor=cast.analyst, campaign=cast.campaign, rows=[good, bad])
    assert {f for f, _m in refused.value.errors} == {"persons", "source"}
    assert not LabourForce.objects.exists()
    labour_force_save(actor=cast.analyst, campaign=cast.campaign, rows=[good])
    labour_force_save(actor=cast.analyst, campaign=cast.campaign, rows=[replace(good, persons=9_800_000)])
    assert list(LabourForce.objects.values_list("persons", flat=True)) == [9_800_000]
    with pytest.raises(DomainError):
        labour_force_save(actor=cast.analyst, campaign=cast.campaign, rows=[good, good])


def test_a_scenario_is_saved_copied_changed_and_deleted(cast, occupations):
    build(cast, occupations)
    s = scenario(cast, adjustments=[Adjustment(cast.astana.pk, "3", -1, "Проверка")])
    copy = scenario_copy(actor=cast.analyst, scenario=s)
    assert copy.pk != s.pk and copy.adjustments.count() == 1 and "Базовый" in copy.name
    changed = scenario_save(actor=cast.analyst, scenario=copy, revision=copy.revision,
                            data=data("Второй", reserve=3, method="dhondt"))
    assert (changed.name, changed.reserve, changed.method, changed.revision) == ("Второй", 3, "dhondt", 1)
    assert not ScenarioAdjustment.objects.filter(scenario=changed).exists()
    with pytest.raises(DomainError) as stale:
        scenario_save(actor=cast.analyst, scenario=copy, revision=0, data=data("Третий"))
    assert stale.value.code == "concurrent_update"
    scenario_delete(actor=cast.analyst, scenario=changed)
    assert list(Scenario.objects.values_list("pk", flat=True)) == [s.pk]


@pytest.mark.parametrize(("inputs", "field"), [
    ({"permits_percent": Decimal("101")}, "permits_percent"),
    ({"reserve": -1}, "reserve"),
    ({"method": "lottery"}, "method"),
    ({"permits_total_override": 10}, "permits_override_reason"),
    ({"adjustments": (Adjustment(1, "3", 5, ""),)}, "adjustments"),
    ({"adjustments": (Adjustment(1, "X", 5, "x"),)}, "adjustments"),
])
def test_bad_inputs_are_refused_naming_the_field_and_nothing_is_written(cast, inputs, field):
    with pytest.raises(DomainError) as refused:
        scenario_create(actor=cast.analyst, campaign=cast.campaign, data=data(**inputs))
    assert field in [f for f, _m in refused.value.errors]
    assert not Scenario.objects.exists()


def test_an_adjustment_beyond_the_reserve_is_refused(cast, occupations):
    build(cast, occupations)
    with pytest.raises(DomainError) as refused:
        scenario(cast, adjustments=[Adjustment(cast.astana.pk, "3", 1000, "Много")])
    assert refused.value.field == "adjustments"
    assert not Scenario.objects.exists()


def test_proposing_freezes_the_figures_and_needs_the_labour_force(cast, occupations):
    build_national(cast, occupations)
    s = scenario(cast)
    with pytest.raises(DomainError) as refused:
        scenario_propose(actor=cast.analyst, scenario=s, reason="Сводные заявки")
    assert refused.value.code == "no_labour_force"
    with_labour_force(cast)
    proposal = scenario_propose(actor=cast.analyst, scenario=s, reason="Сводные заявки")
    assert proposal.status == DistributionStatus.PROPOSED and proposal.scenario_id == s.pk
    assert proposal.labour_force == 9_720_000 and proposal.permits_total == 49  # 0.0005 % of 9.72 million
    cells = proposal.cells.filter(component="permits")
    assert sum(c.count for c in cells) + proposal.reserve == proposal.permits_total
    with pytest.raises(DomainError) as pending:
        scenario_propose(actor=cast.analyst, scenario=s, reason="Ещё раз")
    assert pending.value.code == "pending"


def test_the_picture_sums_the_sent_annexes_the_proposals_and_last_years_history(cast, occupations):
    from allocation.quota_models import QuotaHistory

    from .proposals_conftest import agreed

    # As the fixture has it (loaded by a migration; a transactional test elsewhere may have flushed it).
    QuotaHistory.objects.update_or_create(period="2026", defaults={"year": 2026, "permits_percent": Decimal("0.25")})
    national = build_national(cast, occupations)
    agreed(cast, campaign=cast.campaign)
    p = national_picture(cast.campaign)
    assert p.approved[(cast.astana.pk, "3")] == 5 and p.approved[(cast.astana.pk, "4")] == 8
    assert p.approved[(national.third.pk, "4")] == 8  # the resent version, not the first
    assert p.requested[(cast.astana.pk, "4")] == 10  # Annex 1: the filed application's line
    assert p.proposals == {(cast.astana.pk, "3"): 10, (cast.astana.pk, "4"): 20}
    assert p.immigrants == {cast.astana.pk: 40, cast.atyrau.pk: 7}
    assert p.countries == {(cast.atyrau.pk, national.country.pk): 5}
    assert p.last_year_source == "history" and p.last_year_total is None  # 2026: only the percentage known
    assert p.last_year_percent == Decimal("0.25")


def test_the_picture_takes_the_same_number_of_queries_for_more_regions(cast, occupations):
    from . import national_data as nd

    nd.build_national(cast, occupations)
    _p, few = capture(lambda: national_picture(cast.campaign))
    for i, region in enumerate(nd.other_regions(cast, 10)[4:]):
        org = nd.make_org(900 + i, region=region)
        nd.send_version(region=region, campaign=cast.campaign, officer=cast.akimat_officer, spec=nd.VersionSpec(
            rows=[nd.RowSpec(org, [("3", occupations.o2142, 3)])], li_need=5))
    p, many = capture(lambda: national_picture(cast.campaign))
    assert len(p.sent_regions) == 9
    assert len(many) == len(few) <= 10


def test_the_demo_step_records_the_labour_force_two_scenarios_and_one_proposal_once(cast, occupations):
    import io

    from allocation import scenario_demo

    build_national(cast, occupations)
    cast.analyst.email = scenario_demo.ANALYST
    cast.analyst.save()
    for _run in range(2):
        scenario_demo.seed(stdout=io.StringIO())
    assert LabourForce.objects.get(campaign=cast.campaign, region=None).persons == 9_720_000
    names = set(Scenario.objects.filter(campaign=cast.campaign).values_list("name", flat=True))
    assert names == {scenario_demo.NAME_1, scenario_demo.NAME_2}
    proposal = Distribution.objects.get(campaign=cast.campaign)
    assert proposal.status == DistributionStatus.PROPOSED and proposal.scenario.name == scenario_demo.NAME_2
    assert proposal.proposed_by == cast.analyst
