"""Texts the portal stores for later readers: a msgid and its parameters, rendered in the reader's
language when read.

A status note is written while one person (or the server) acts and read later by people who use
other languages. Storing gettext's output would freeze the writer's language: a Kazakh reader would
see the Russian an akimat officer's browser asked for. So the store keeps the English msgid (marked
with gettext_noop where it is written, so that makemessages finds it) and JSON parameters:
numbers and strings as they are, `day(d)` as a date in the reader's format, `text(msgid, ...)` as
a nested text translated in turn. Free text a person typed is stored as typed, never as a msgid.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext


def text(msgid: str, **params) -> dict:
    """A nested text parameter: `msgid` (untranslated) with its own parameters."""
    return {"msgid": msgid, "params": params}


def day(value: dt.date) -> dict:
    """A date parameter, shown in the reader's short date format."""
    return {"date": value.isoformat()}


def names(obj) -> dict:
    """A name kept in each language (a region, an authority: name_ru, name_kk, name_en), shown in
    the reader's language, Russian where the reader's is missing."""
    return {"names": {lang: getattr(obj, f"name_{lang}", "") for lang in ("ru", "kk", "en")}}


def render(msgid: str, params: dict | None = None) -> str:
    """`msgid` translated into the active language, its parameters rendered the same way."""
    translated = gettext(msgid)
    if not params:
        return translated
    return translated % {name: _param(value) for name, value in params.items()}


def _param(value):
    if isinstance(value, dict):
        if "date" in value:
            return date_format(dt.date.fromisoformat(value["date"]), "SHORT_DATE_FORMAT")
        if "names" in value:
            from django.utils.translation import get_language

            found = value["names"]
            return found.get((get_language() or "ru")[:2]) or found.get("ru", "")
        if "msgid" in value:
            return render(value["msgid"], value.get("params"))
    return value
