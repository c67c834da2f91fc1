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
    registry.register_nav_entry("allocation.quota", roles={"ministry"}, label=_("Quota"), url_name="quota:home",
                                active_prefix="/ministry/quota/", order=365)
    registry.register_dashboard_panel("allocation.quota", roles={"ministry"}, render=scenario_panels.analyst_panel,
                                      order=305)
    registry.register_action_labels("allocation.scenarios", ACTION_LABELS, order=365)
    registry.register_demo_step("allocation.scenarios", run=scenario_demo.seed, order=390,
                                after=("allocation.proposals", "allocation_submissions"))
