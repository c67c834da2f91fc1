"""Small template helpers of the base layout."""
import math

from django import template
from django.utils import timezone

from quota_portal.core import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_entries(context) -> list:
    """`{% nav_entries as entries %}`: the header entries the apps registered for the acting role."""
    return registry.nav_entries(context.get("acting_membership"))


@register.filter
def days_left(moment) -> int:
    """Whole days (rounded up) from now until `moment`; 0 once it has passed."""
    seconds = (moment - timezone.now()).total_seconds()
    return max(0, math.ceil(seconds / 86400))
