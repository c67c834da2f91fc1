from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Allocation")

    def ready(self) -> None:
        from . import submission_registry, submission_tasks  # noqa: F401 - registers the Celery task

        submission_registry.register()
