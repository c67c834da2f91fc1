"""What redistribution (Rules p.21) and the quota's use (p.5) plug into core: nav entries, the demo
step (after the publication of 2026 version 1, order 370), the action labels, and a block for the
Ministry's quota page (the link to open the next campaign and to the pages here)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quota_portal.core import registry
from quota_portal.core.models import Role

from . import redistribution_demo, redistribution_panels

ACTION_LABELS = {
    "redistribution_request": _("Redistribution asked for"),
    "redistribution_withdraw": _("Redistribution request withdrawn"),
    "redistribution_endorse": _("Redistribution endorsed"),
    "redistribution_approve": _("Redistribution approved"),
    "redistribution_decline": _("Redistribution declined"),
    "permit_record": _("Permits issued recorded"),
    "permits_import": _("Permits issued imported"),
}


def akimat_officer(membership) -> bool:
    return membership.role == Role.AKIMAT_OFFICER


def register() -> None:
    registry.register_nav_entry(
        "allocation.redistribution_akimat", roles={"akimat"}, visible=akimat_officer, order=380, label=_("Quota"),
        testid="nav-quota-use", children=[
            registry.NavLink(_("Permits issued"), "allocation:permits"),
            registry.NavLink(_("Use of the quota"), "allocation:use"),
            registry.NavLink(_("Redistribution"), "allocation:redistributions")])
    registry.register_nav_entry("allocation.redistribution_central", roles={"central"}, label=_("Redistribution"),
                                url_name="allocation:redistributions", active_prefix="/allocation/redistributions/",
                                order=380)
    # The Ministry's pages here are in its "Quota" menu (allocation/scenario_plug.py).
    registry.register_dashboard_panel("allocation.redistribution_ministry", roles={"ministry"},
                                      render=redistribution_panels.ministry_panel, order=380)
    registry.register_page_block("ministry_quota", "allocation.redistribution",
                                 render=redistribution_panels.quota_page_block, order=380)
    registry.register_demo_step("allocation.redistribution", run=redistribution_demo.seed, order=380,
                                after=("allocation.proposals",))
    registry.register_action_labels("allocation.redistribution", ACTION_LABELS, order=380)
