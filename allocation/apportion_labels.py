"""Translated labels of the apportionment methods, for forms and published decisions.

Kept apart from allocation/apportion.py, which stays free of Django. The msgids are the English
labels in apportion.METHODS (marked there with gettext_noop, so makemessages finds them).
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from .apportion import METHODS

# Method name -> label in the active language (lazy: safe at import time, e.g. in form fields).
METHOD_LABELS = {name: gettext_lazy(label) for name, label in METHODS.items()}
METHOD_CHOICES = list(METHOD_LABELS.items())
