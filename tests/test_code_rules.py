"""Rules about the code itself, checked by reading the source (grep-like): each failure names the
file and line and says what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = ["quota_portal", "applications", "commissions", "allocation"]
# A date written by hand: .strftime(...), or the same through a format spec ({d:%d.%m.%Y}).
HAND_MADE_DATE = re.compile(r"\.strftime\(|\{[^{}]*:%[dmYHM][^{}]*\}")


def python_files():
    for top in APP_CODE:
        yield from sorted((ROOT / top).rglob("*.py"))


def test_no_application_code_formats_dates_with_strftime():
    found = []
    for path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (
                HAND_MADE_DATE.search(line) and "%Y-%m-%d" not in line
            ):  # ISO in operators' messages is fine
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, (
        "Dates are formatted for the reader, never with strftime (it ignores the reader's "
        "language and formats): use django.utils.formats.date_format(value, "
        '"SHORT_DATE_FORMAT") or localize(), or the |date filter in templates.\n'
        + "\n".join(found)
    )


def test_the_rule_catches_strftime_and_a_date_format_spec():
    assert HAND_MADE_DATE.search('note = day.strftime("%d.%m.%Y")')
    assert HAND_MADE_DATE.search('f"due {notice.due:%d.%m.%Y}"')
    assert not HAND_MADE_DATE.search('date_format(day, "SHORT_DATE_FORMAT")')


def test_no_translatable_text_counts_with_a_parenthesised_plural():
    """'%(n)s row(s)' reads wrong in every language: counts go through ngettext/{% plural %}."""
    catalogue = polib.pofile(
        str(ROOT / "quota_portal" / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    )
    found = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and re.search(r"[a-z]\((s|es)\)", entry.msgid)
    ]
    assert not found, (
        "Use ngettext (or {% blocktranslate count %}) for these counts:\n" + "\n".join(found)
    )


def test_every_test_starts_on_the_suites_today_whatever_the_real_date():
    """tests/conftest.py `_today`: a test that would depend on the real date cannot exist."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    assert time_machine.escape_hatch.is_travelling()
    assert timezone.localdate() == dt.date(2026, 11, 25)


def test_no_msgid_has_two_different_translations_across_the_i18n_files():
    """tools/i18n.py merges i18n/*.json in name order, the last file winning: a msgid translated
    differently in two files shows whichever file sorts last, silently. One msgid, one translation;
    a word meaning two things takes a context (pgettext)."""
    import json
    from pathlib import Path

    seen: dict[str, tuple[str, object]] = {}
    conflicts = []
    for path in sorted((Path(__file__).resolve().parent.parent / "i18n").glob("*.json")):
        for msgid, translation in json.loads(path.read_text(encoding="utf-8")).items():
            if msgid in seen and seen[msgid][1] != translation:
                conflicts.append(f"{msgid!r}: {seen[msgid][0]} vs {path.name}")
            seen.setdefault(msgid, (path.name, translation))
    assert not conflicts, "\n".join(conflicts)
