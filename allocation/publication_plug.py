"""What publishing the quota (Rules p.19) plugs into core (quota_portal/core/registry.py), called from
AllocationConfig.ready(): the approver's dashboard panel, the home page's link to the published quotas, the
demo step (its page is in the Ministry's "Quota" menu, allocation/scenario_plug.py)."""
from __future__ import annotations

from quota_portal.core import registry

from . import publication_demo, publication_panels


def register() -> None:
    registry.register_dashboard_panel("allocation.publication", roles={"ministry"},
                                      render=publication_panels.ministry_panel, order=370)
    registry.register_page_block("home", "allocation.publication", render=publication_panels.home_block, order=370)
    registry.register_demo_step("allocation.publication", run=publication_demo.seed, order=370,
                                after=("allocation.proposals",))
