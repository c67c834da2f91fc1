from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self) -> None:
        """Plug the app's parts into core (quota_portal/core/registry.py), numbers 300-399."""
        from quota_portal.core import registry

        from . import national_panels, proposals_plug, quota_plug, submission_registry, submission_tasks  # noqa: F401 - Celery task

        submission_registry.register()
        proposals_plug.register()
        quota_plug.register()
        from . import scenario_plug; scenario_plug.register()  # noqa: E702, I001 - the quota workspace (issue 11)
        # The Ministry's national view of the regions' submissions (issue 10).
        registry.register_dashboard_panel("allocation.national", roles={"ministry"},
                                          render=national_panels.ministry_panel, order=300)
        registry.register_nav_entry("allocation.national", roles={"ministry"}, label=_("Regions"),
                                    url_name="national:current", active_prefix="/ministry/national/", order=300)
