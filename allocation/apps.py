from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self) -> None:
        """Plug the app's parts into core (quota_portal/core/registry.py), numbers 300-399."""
        from . import proposals_plug, submission_registry, submission_tasks  # noqa: F401 - registers the Celery task

        submission_registry.register()
        proposals_plug.register()
