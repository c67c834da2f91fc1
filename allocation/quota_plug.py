"""The distribution's lifecycle plugged into core: the names of its services in histories."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quota_portal.core import registry

ACTION_LABELS = {
    "distribution_propose": _("Distribution proposed"),
    "distribution_approve": _("Distribution approved"),
    "distribution_decline": _("Distribution declined"),
    "distribution_withdraw": _("Distribution withdrawn"),
    "distribution_publish": _("Distribution published"),
}


def register() -> None:
    registry.register_action_labels("allocation.quota", ACTION_LABELS, order=360)
