"""Small template helpers of the base layout."""
from django import template

from quota_portal.core import calendar, registry

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_entries(context) -> list:
    """`{% nav_entries as entries %}`: the header entries the apps registered for the acting role."""
    return registry.nav_entries(context.get("acting_membership"))


@register.filter
def days_left(moment) -> int:
    """Whole days from now until `moment` (calendar.days_left, the one computation of it)."""
    return calendar.days_left(moment)
