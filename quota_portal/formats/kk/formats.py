"""Kazakh formats: the same day.month.year and 24-hour clock as English here (see en/formats.py);
Django ships none for Kazakh."""
from quota_portal.formats.en.formats import *  # noqa: F401,F403
