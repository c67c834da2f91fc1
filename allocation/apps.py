from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self):
        """Plug the app's parts into core (quota_portal/core/registry.py), numbers 300-399."""
        from . import proposals_plug

        proposals_plug.register()
