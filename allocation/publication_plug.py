"""What publishing the quota (Rules p.19) plugs into core (quota_portal/core/registry.py), called from
AllocationConfig.ready(): the Ministry's nav entry, the approver's dashboard panel, the demo step."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quota_portal.core import registry

from . import publication_demo, publication_panels


def register() -> None:
    registry.register_nav_entry("allocation.publication", roles={"ministry"}, label=_("Distribution"),
                                url_name="publication:list", active_prefix="/ministry/quota/", order=370)
    registry.register_dashboard_panel("allocation.publication", roles={"ministry"},
                                      render=publication_panels.ministry_panel, order=370)
    registry.register_demo_step("allocation.publication", run=publication_demo.seed, order=370,
                                after=("allocation.proposals",))
