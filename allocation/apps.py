from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self) -> None:
        """Plug the app's parts into core (quota_portal/core/registry.py), numbers 300-399."""
        from django.conf import settings

        from quota_portal.core import registry
        from quota_portal.core.reminders import days_list

        from . import (  # noqa: F401 - Celery task
            national_panels,
            proposals_plug,
            publication_plug,
            quota_plug,
            redistribution_plug,
            scenario_plug,
            submission_registry,
            submission_tasks,
            sweeps,  # noqa: F401 - registers the deadline sweeps
        )

        submission_registry.register()
        days = lambda: days_list(settings.AUTHORITY_REMINDER_DAYS)  # noqa: E731 - read when shown
        registry.register_reminder_type(
            "allocation.akimat", roles={"akimat"}, label=_("The akimat's deadlines: the p.15 need and Annexes 2-4"),
            schedule=lambda: _("%(days)s days before the deadlines of Rules p.15 and p.12") % {"days": days()},
            order=300)
        registry.register_reminder_type(
            "allocation.central", roles={"central"}, label=_("Proposals still in draft (p.13)"),
            schedule=lambda: _("%(days)s days before the deadline of Rules p.13") % {"days": days()}, order=301)
        registry.register_reminder_type(
            "allocation.ministry", roles={"ministry"},
            label=_("The Ministry's deadlines: distribution and publication"),
            schedule=lambda: _("%(days)s days before the deadlines of Rules p.19") % {"days": days()}, order=302)
        proposals_plug.register()
        quota_plug.register()
        publication_plug.register()
        redistribution_plug.register()
        scenario_plug.register()
        # The Ministry's national view of the regions' submissions (issue 10).
        registry.register_dashboard_panel("allocation.national", roles={"ministry"},
                                          render=national_panels.ministry_panel, order=300)
        registry.register_nav_entry("allocation.national", roles={"ministry"}, label=_("Regions"),
                                    url_name="national:current", active_prefix="/ministry/national/", order=300)
