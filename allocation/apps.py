from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self):
        """Plug the allocation stage into core (quota_portal/core/registry.py)."""
        from quota_portal.core import registry

        from . import national_panels

        # The Ministry's national view of the regions' submissions (issue 10).
        registry.register_dashboard_panel("allocation.national", roles={"ministry"},
                                          render=national_panels.ministry_panel, order=300)
        registry.register_nav_entry("allocation.national", roles={"ministry"}, label=_("Regions"),
                                    url_name="national:current", active_prefix="/ministry/national/", order=300)
