"""Kazakh formats: the same day.month.year and 24-hour clock as English here (see en/formats.py);
Django ships none for Kazakh. Numbers are written as in Russian and as Kazakhstan's official
documents write them: digits grouped by three with a (non-breaking) space, a decimal comma -
"12 345", "1,5"."""
from quota_portal.formats.en.formats import *  # noqa: F401,F403

# Numbers as Kazakhstan writes them (CLDR kk: "9 720 000", "0,25"), as Russian does; without these
# Django groups no digits and prints a decimal point in Kazakh.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
