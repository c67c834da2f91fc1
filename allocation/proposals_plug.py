"""What central-body proposals (Rules p.13) plug into core (quota_portal/core/registry.py), called
from AllocationConfig.ready(): dashboard panels, nav entries, the demo step and audit labels."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quota_portal.core import registry
from quota_portal.core.models import Role

from . import proposals_demo, proposals_panels

ACTION_LABELS = {
    "proposal_create": _("Proposal drafted"),
    "proposal_save": _("Proposal changed"),
    "proposal_delete": _("Proposal deleted"),
    "proposal_send": _("Proposal sent to the akimat"),
    "proposal_agree": _("Proposal agreed"),
    "proposal_decline": _("Proposal declined"),
    "proposals_demo": _("Demo data loaded"),
}


def akimat_officer(membership) -> bool:
    return membership.role == Role.AKIMAT_OFFICER


def register() -> None:
    registry.register_dashboard_panel("allocation.proposals_central", roles={"central"},
                                      render=proposals_panels.central_panel, order=350)
    registry.register_dashboard_panel("allocation.proposals_akimat", roles={"akimat"},
                                      render=proposals_panels.akimat_panel, order=350)
    registry.register_nav_entry("allocation.proposals_central", roles={"central"}, label=_("Proposals"),
                                url_name="allocation:proposals", active_prefix="/allocation/proposals/", order=350)
    registry.register_nav_entry("allocation.proposals_akimat", roles={"akimat"}, label=_("Proposals"),
                                url_name="allocation:proposals_received", active_prefix="/allocation/proposals/",
                                visible=akimat_officer, order=350)
    registry.register_nav_entry("allocation.proposals_ministry", roles={"ministry"},
                                label=_("Proposals"), url_name="allocation:proposals_agreed",
                                active_prefix="/allocation/proposals/", order=360)
    registry.register_demo_step("allocation.proposals", run=proposals_demo.seed, order=350, after=("commissions",))
    registry.register_action_labels("allocation.proposals", ACTION_LABELS, order=350)
