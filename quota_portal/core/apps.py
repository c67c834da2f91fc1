from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "quota_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self):
        from quota_portal.core import checks  # noqa: F401  (registers the system checks)

        from . import audit, calendar, ops_selectors, registry
        from .models import CalendarException

        registry.register_action_labels("core", audit.ACTION_LABELS, order=0)
        # The views module imports forms and models only; ready() is the place for it.
        from .views import overdue_panel

        registry.register_dashboard_panel("core.overdue", roles={"ministry"}, render=overdue_panel, order=10)
        calendar.set_exception_source(CalendarException.overrides)
        ops_selectors.register_core_audiences()
        from django.contrib.auth.signals import user_logged_in

        from .two_factor import remember_requirement

        user_logged_in.connect(remember_requirement, dispatch_uid="qp_two_factor_requirement")
