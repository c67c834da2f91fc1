"""Small template helpers of the base layout."""
import math

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_left(moment) -> int:
    """Whole days (rounded up) from now until `moment`; 0 once it has passed."""
    seconds = (moment - timezone.now()).total_seconds()
    return max(0, math.ceil(seconds / 86400))
