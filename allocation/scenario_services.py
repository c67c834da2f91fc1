"""The Ministry analyst's work before a distribution (Rules p.4, p.18-20): the labour force the quota
is a percentage of, and the what-if scenarios, one of which is proposed as the distribution.

Each service checks its actor first (only a Ministry analyst: allocation/quota_permissions.py), owns
its transaction, locks the row and checks its revision where it changes one, is audited, and refuses
with a translated DomainError naming the field. A scenario is validated by computing it against the
current national picture (allocation/quota_compute.py): one rule, whoever calls.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError, FieldErrors
from quota_portal.core.models import Campaign, Category, Region, User
from quota_portal.core.parsing import clean_text

from .apportion import METHODS
from .quota_compute import Adjustment, ScenarioInputs, compute, national_picture
from .quota_models import MAX_LABOUR_FORCE, MAX_QUOTA, MAX_TEXT, Distribution, LabourForce, Scenario, ScenarioAdjustment
from .quota_permissions import ensure_analyst
from .quota_services import DistributionFigures, distribution_propose

MAX_NAME = 200
MAX_SOURCE = 500
COMPONENTS = ("permits", "countries", "immigrants")


# --- labour force ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabourForceRow:
    region: Region | None  # None: the whole country
    persons: int
    source: str
    as_of: dt.date


def labour_force_save(*, actor: User, campaign: Campaign, rows: list[LabourForceRow],
                      action: str = "labour_force_save") -> list[LabourForce]:
    """Record the labour force of the country and/or regions for a campaign, all or nothing: a figure
    already there for the same region is replaced (its history keeps the old one)."""
    ensure_analyst(actor)
    errors: list[tuple[str, str]] = []
    seen: set = set()
    for row in rows:
        key = row.region.pk if row.region else None
        if key in seen:
            errors.append(("region", _("%(region)s appears twice.") % {
                "region": row.region or _("Kazakhstan (national)")}))
        seen.add(key)
        if not 1 <= row.persons <= MAX_LABOUR_FORCE:
            errors.append(("persons", _("The labour force is a whole number from 1 to %(max)s.")
                           % {"max": MAX_LABOUR_FORCE}))
        if not clean_text(row.source).strip():
            errors.append(("source", _("State where the figure comes from.")))
    if not rows:
        errors.append(("file", _("There is no figure to record.")))
    if errors:
        raise FieldErrors(errors)
    saved = []
    with transaction.atomic(), audited(actor, action):
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        for row in rows:
            lf, _created = LabourForce.objects.update_or_create(
                campaign=campaign, region=row.region,
                defaults={"persons": row.persons, "source": clean_text(row.source).strip()[:MAX_SOURCE],
                          "as_of": row.as_of, "entered_by": actor})
            saved.append(lf)
    return saved


# --- scenarios ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScenarioData:
    """A scenario's inputs as a form gives them."""

    name: str
    inputs: ScenarioInputs = field(default_factory=ScenarioInputs)
    notes: str = ""


def check_scenario(campaign: Campaign, data: ScenarioData, picture=None) -> DistributionFigures:
    """Validate a scenario's inputs and return what they give against the national picture; raise
    FieldErrors (every problem, each naming its field) otherwise."""
    i = data.inputs
    errors: list[tuple[str, str]] = []
    if not clean_text(data.name).strip():
        errors.append(("name", _("Give the scenario a name.")))
    if i.method not in METHODS:
        errors.append(("method", _("Choose an apportionment method.")))
    for component in COMPONENTS:
        percent = getattr(i, f"{component}_percent")
        if percent is None or not Decimal(0) <= percent <= Decimal(100):
            errors.append((f"{component}_percent", _("Enter a percentage from 0 to 100.")))
        override = getattr(i, f"{component}_total_override")
        if override is not None and not 0 <= override <= MAX_QUOTA:
            errors.append((f"{component}_total_override", _("Enter a whole number from 0 to %(max)s.")
                           % {"max": MAX_QUOTA}))
    if not 0 <= i.reserve <= MAX_QUOTA:
        errors.append(("reserve", _("Enter a whole number from 0 to %(max)s.") % {"max": MAX_QUOTA}))
    categories = {c.value for c in Category}
    keys = set()
    for adj in i.adjustments:
        if adj.category not in categories:
            errors.append(("adjustments", _("Unknown category.")))
        if (adj.region_id, adj.category) in keys:
            errors.append(("adjustments", _("One adjustment per region and category: combine them.")))
        keys.add((adj.region_id, adj.category))
        if not -MAX_QUOTA <= adj.delta <= MAX_QUOTA or adj.delta == 0:
            errors.append(("adjustments", _("An adjustment is a whole number other than 0, from -%(max)s to "
                                            "%(max)s.") % {"max": MAX_QUOTA}))
        if not clean_text(adj.reason).strip():
            errors.append(("adjustments", _("Every adjustment needs its reason.")))
    if errors:
        raise FieldErrors(errors)
    figures = compute(i, picture if picture is not None else national_picture(campaign))
    for component in COMPONENTS:
        total, computed = getattr(figures, f"{component}_total"), getattr(figures, f"{component}_computed")
        if total != computed and not clean_text(getattr(i, f"{component}_override_reason")).strip():
            errors.append((f"{component}_override_reason",
                           _("A number that differs from the percentage of the labour force needs the reason "
                             "for the override.")))
    if errors:
        raise FieldErrors(errors)
    figures.check()
    return figures


def _fields(data: ScenarioData) -> dict:
    i = data.inputs
    return {"name": clean_text(data.name).strip()[:MAX_NAME], "notes": clean_text(data.notes)[:MAX_TEXT],
            "method": i.method, "reserve": i.reserve,
            **{f"{c}_percent": getattr(i, f"{c}_percent") for c in COMPONENTS},
            **{f"{c}_total_override": getattr(i, f"{c}_total_override") for c in COMPONENTS},
            **{f"{c}_override_reason": clean_text(getattr(i, f"{c}_override_reason")).strip()[:MAX_TEXT]
               for c in COMPONENTS}}


def _write_adjustments(scenario: Scenario, adjustments) -> None:
    ScenarioAdjustment.objects.filter(scenario=scenario).delete()
    ScenarioAdjustment.objects.bulk_create([
        ScenarioAdjustment(scenario=scenario, region_id=a.region_id, category=a.category, delta=a.delta,
                           reason=clean_text(a.reason).strip()[:MAX_TEXT]) for a in adjustments])


def scenario_create(*, actor: User, campaign: Campaign, data: ScenarioData) -> Scenario:
    """A new scenario of the campaign (checked against the national picture first)."""
    ensure_analyst(actor)
    check_scenario(campaign, data)
    with transaction.atomic(), audited(actor, "scenario_create"):
        scenario = Scenario.objects.create(campaign=campaign, created_by=actor, **_fields(data))
        _write_adjustments(scenario, data.inputs.adjustments)
    return scenario


def _locked(scenario: Scenario, revision: int | None) -> Scenario:
    try:
        locked = Scenario.objects.select_for_update().select_related("campaign").get(pk=scenario.pk)
    except Scenario.DoesNotExist:
        raise DomainError(_("This scenario has been deleted."), code="gone") from None
    if revision is not None and locked.revision != revision:
        raise ConcurrentUpdate()
    return locked


def scenario_save(*, actor: User, scenario: Scenario, data: ScenarioData, revision: int | None) -> Scenario:
    """Change a scenario's inputs (its adjustments are replaced)."""
    ensure_analyst(actor)
    check_scenario(scenario.campaign, data)
    with transaction.atomic(), audited(actor, "scenario_save"):
        locked = _locked(scenario, revision)
        for name, value in _fields(data).items():
            setattr(locked, name, value)
        locked.revision += 1
        locked.save()
        _write_adjustments(locked, data.inputs.adjustments)
    return locked


def scenario_copy(*, actor: User, scenario: Scenario) -> Scenario:
    """A copy of a scenario, adjustments included, named "<name> (copy)"."""
    ensure_analyst(actor)
    with transaction.atomic(), audited(actor, "scenario_copy"):
        source = _locked(scenario, None)
        adjustments = list(source.adjustments.order_by("pk"))
        copy = Scenario.objects.get(pk=source.pk)
        copy.pk = None
        copy.name = (_("%(name)s (copy)") % {"name": source.name})[:MAX_NAME]
        copy.created_by = actor
        copy.revision = 0
        copy.save(force_insert=True)
        _write_adjustments(copy, [Adjustment(a.region_id, a.category, a.delta, a.reason) for a in adjustments])
    return copy


def scenario_delete(*, actor: User, scenario: Scenario, revision: int | None = None) -> None:
    """Delete a scenario; a distribution proposed from it keeps its own figures (SET_NULL)."""
    ensure_analyst(actor)
    with transaction.atomic(), audited(actor, "scenario_delete"):
        _locked(scenario, revision).delete()


def scenario_propose(*, actor: User, scenario: Scenario, reason: str) -> Distribution:
    """Propose the distribution this scenario gives now (Rules p.19): computed against the current
    national picture and frozen in the proposal; an approver, another person, decides."""
    ensure_analyst(actor)
    from .quota_compute import scenario_inputs

    figures = check_scenario(scenario.campaign, ScenarioData(name=scenario.name, inputs=scenario_inputs(scenario)))
    if figures.labour_force <= 0:
        raise DomainError(_("Record the national labour force of %(year)s first: the quota is a percentage of it "
                            "(Rules p.4).") % {"year": scenario.campaign.year}, field="reason", code="no_labour_force")
    reason = clean_text(reason).strip()
    figures = replace(figures, labour_force_source=figures.labour_force_source[:MAX_SOURCE])
    return distribution_propose(actor=actor, campaign=scenario.campaign, figures=figures, reason=reason,
                                scenario=scenario)
