"""Reading numbers and text out of a request, a form or a spreadsheet: one place, one rule.

`str.isdigit()` says yes to "²", "①" and "٣", and `int()` takes "٣", "１", "3_0" and "+3": neither
is a test that a string is a number typed with the keys 0-9. Every id and number the portal reads
from outside goes through `parse_int` / `parse_id`, which accept only ASCII digits (an optional
leading "-" where the caller allows negatives), and answer None for anything else, so that a view
turns bad input into a field error or a 404, never a 500.
"""
from __future__ import annotations

import re

# Bounds of PostgreSQL's integer and bigint columns.
MAX_INT = 2**31 - 1
MAX_BIGINT = 2**63 - 1

INTEGER = re.compile(r"(-?)([0-9]+)", re.ASCII)
# Longer than any bigint: refused before int() is asked to convert a 10 000-digit string.
_MAX_DIGITS = 19
# ASCII whitespace only: a no-break or ideographic space around a number is not "a number".
ASCII_SPACE = " \t\r\n\f\v"
# C0 control characters except tab, line feed and carriage return: invisible, refused by XML
# (and so by every XLSX the portal writes), never meant by a person typing. NUL is left alone:
# the middleware and Django's own validator refuse it with an error instead of hiding it.
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    """The whole number in `value`, or None when it is not one typed with the digits 0-9.

    Surrounding ASCII whitespace is allowed; a leading "-" only when `min_value` is below zero (the
    caller allows negatives). Out of [min_value, max_value] is None too. An int (not a bool) is
    checked against the bounds as it is.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
        if number < 0 and (min_value is None or min_value >= 0):
            return None
    elif isinstance(value, str):
        match = INTEGER.fullmatch(value.strip(ASCII_SPACE))
        if match is None:
            return None
        sign, digits = match.groups()
        if sign and (min_value is None or min_value >= 0):
            return None
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            return None
        number = -int(digits) if sign else int(digits)
    else:
        return None
    if min_value is not None and number < min_value:
        return None
    if max_value is not None and number > max_value:
        return None
    return number


def parse_id(value) -> int | None:
    """A primary key (1 .. 2**63-1) from a URL, a query string or a form value; None otherwise."""
    return parse_int(value, min_value=1, max_value=MAX_BIGINT)


def clean_text(value) -> str:
    """Text as a person typed it: the invisible C0 control characters (except tab, CR, LF) removed."""
    if value is None:
        return ""
    return _CONTROLS.sub("", str(value))


def has_controls(value: str) -> bool:
    return bool(_CONTROLS.search(value))
