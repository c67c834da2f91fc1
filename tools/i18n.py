"""Translations: English msgids in the code; Russian and Kazakh kept as reviewed JSON in i18n/.

    python tools/i18n.py check [PATH_PREFIX ...]   list msgids (from files under the prefixes)
                                                    that no i18n/*.json translates, as JSON to fill
    python tools/i18n.py build                      extract, fill quota_portal/locale/{ru,kk}/*.po
                                                    from i18n/*.json and compile the .mo files

Each i18n/<area>.json maps msgid -> {"ru": "...", "kk": "..."}; a plural msgid maps to
{"plural": "<msgid_plural>", "ru": [one, few, many], "kk": [one, other]}; a msgid with context
is keyed "<context>\u0004<msgid>". Extraction never touches the committed catalogues in `check`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "quota_portal" / "locale"
LANGS = ("ru", "kk")
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n!=1);",
}
# quota_portal/locale is ignored so that makemessages never adopts it as an extra output folder
# (it inserts every "locale" folder it walks past); LOCALE_PATHS[0] is the output either way.
IGNORE = [".venv", "node_modules", "var", "tests", "bench", "tools", "static/vendor", "test-artifacts",
          "quota_portal/locale"]


def extract(locale_dir: Path, *, locations: bool = True) -> None:
    env = {**os.environ, "QP_LOCALE_DIR": str(locale_dir), "DJANGO_SETTINGS_MODULE": "quota_portal.settings.test"}
    cmd = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-wrap", "-e", "html,txt,py"]
    if not locations:
        # The committed catalogues carry no file:line references: they would change with every
        # edit anywhere and make parallel branches conflict on files nobody edits by hand.
        cmd.append("--no-location")
    for lang in LANGS:
        cmd += ["-l", lang]
    for pattern in IGNORE:
        cmd += ["-i", pattern, "-i", f"{pattern}/*"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def load_translations() -> dict:
    merged: dict = {}
    for path in sorted((ROOT / "i18n").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def key_of(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(po: polib.POFile, lang: str, translations: dict) -> list[polib.POEntry]:
    missing = []
    po.metadata["Plural-Forms"] = PLURAL_FORMS[lang]
    po.metadata["Language"] = lang
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in po:
        found = translations.get(key_of(entry), {}).get(lang)
        # A msgid without a reviewed translation is emptied: msgmerge's fuzzy guess for it is
        # often another string's text, and shipping it would show a wrong word.
        if entry.msgid_plural:
            if isinstance(found, list) and all(found):
                entry.msgstr_plural = dict(enumerate(found))
            else:
                entry.msgstr_plural = dict.fromkeys(range(len(entry.msgstr_plural) or 2), "")
                missing.append(entry)
        elif isinstance(found, str) and found:
            entry.msgstr = found
        else:
            entry.msgstr = ""
            missing.append(entry)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    return missing


def check(prefixes: list[str]) -> int:
    translations = load_translations()
    with tempfile.TemporaryDirectory() as tmp:
        extract(Path(tmp))
        todo: dict = {}
        for lang in LANGS:
            po = polib.pofile(str(Path(tmp) / lang / "LC_MESSAGES" / "django.po"))
            for entry in fill(po, lang, translations):
                files = [f for f, _line in entry.occurrences]
                if prefixes and not any(f.startswith(p) for p in prefixes for f in files):
                    continue
                item = todo.setdefault(key_of(entry), {"files": sorted(set(files))})
                if entry.msgid_plural:
                    item["plural"] = entry.msgid_plural
                item.setdefault("missing", []).append(lang)
    print(json.dumps(todo, ensure_ascii=False, indent=1))
    print(f"{len(todo)} msgids need translation", file=sys.stderr)
    return 1 if todo else 0


def build() -> int:
    translations = load_translations()
    extract(LOCALE, locations=False)
    total_missing = 0
    for lang in LANGS:
        po_path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        missing = fill(po, lang, translations)
        total_missing += len(missing)
        for entry in missing:
            print(f"{lang}: untranslated: {entry.msgid!r} ({entry.occurrences[:1]})", file=sys.stderr)
        po.save(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"built ru/kk catalogues, {total_missing} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] not in ("check", "build"):
        print(__doc__)
        sys.exit(2)
    sys.exit(check(args[1:]) if args[0] == "check" else build())
