"""What the quota workspace (labour force, national picture, scenarios) plugs into core
(quota_portal/core/registry.py), called from AllocationConfig.ready()."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quota_portal.core import registry

from . import scenario_demo, scenario_panels

ACTION_LABELS = {
    "labour_force_save": _("Labour force recorded"),
    "labour_force_import": _("Labour force imported"),
    "scenario_create": _("Scenario created"),
    "scenario_save": _("Scenario changed"),
    "scenario_copy": _("Scenario copied"),
    "scenario_delete": _("Scenario deleted"),
}


def register() -> None:
    # One "Quota" menu for the Ministry's three parts (forming, publishing, redistributing and use)
    # and the public pages: as separate entries the header was wider than a 1400-1920 px screen.
    registry.register_nav_entry(
        "allocation.quota", roles={"ministry"}, label=_("Quota"), active_prefix="/ministry/quota/", order=365,
        testid="nav-quota", children=[
            registry.NavLink(_("Scenarios"), "quota:home"),
            registry.NavLink(_("Distribution"), "publication:list"),
            registry.NavLink(_("Redistribution requests"), "redistribution:queue_current"),
            registry.NavLink(_("Use of the quota"), "redistribution:use_current"),
            registry.NavLink(_("Published quotas"), "public_quota:index")])
    registry.register_dashboard_panel("allocation.quota", roles={"ministry"}, render=scenario_panels.analyst_panel,
                                      order=305)
    registry.register_action_labels("allocation.scenarios", ACTION_LABELS, order=365)
    registry.register_demo_step("allocation.scenarios", run=scenario_demo.seed, order=390,
                                after=("allocation.proposals", "allocation_submissions"))
