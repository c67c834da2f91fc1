"""The stage order where import-linter cannot see it: modules named in strings, and templates.

    python tools/check_imports.py        (run by `make test` after `lint-imports`)

import-linter (pyproject.toml, [tool.importlinter]) reads import statements, those inside
functions included. An earlier stage can still reach a later one without an import statement:

- a module or model named in a string: `import_module("applications.demo")`,
  `apps.get_model("commissions", "Violation")`, a dotted path such as
  "commissions.pdf.notice_attachment" kept to be imported later, a migration that depends on a
  later app's migration (`("applications", "0005_...")`);
- a template of an earlier stage that includes a later stage's template or reverses its URLs:
  `{% include "applications/_nav.html" %}`, `{% url 'commissions:inbox' %}`.

Stage order: core <- applications <- commissions <- allocation. Core's templates are every
template outside templates/<app>/. Exits 1 and lists every finding when there is one.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (stage, its Python package directory, its template directories), earliest first.
STAGES = [
    ("quota_portal.core", ROOT / "quota_portal" / "core", None),  # None: templates/ outside the apps'
    ("applications", ROOT / "applications", [ROOT / "templates" / "applications"]),
    ("commissions", ROOT / "commissions", [ROOT / "templates" / "commissions"]),
    ("allocation", ROOT / "allocation", [ROOT / "templates" / "allocation"]),
]
APPS = [name for name, _path, _templates in STAGES[1:]]
# Calls whose first string argument names a module or an app.
NAMING_CALLS = {"import_module", "find_spec", "__import__", "get_model", "get_app_config", "include"}


def later_apps(stage_index: int) -> list[str]:
    return [name for name, _path, _templates in STAGES[stage_index + 1:]]


def _names_app(value: str, apps: list[str]) -> str | None:
    """The app that `value` names as a module, a dotted path or a model label, if one of `apps`."""
    for app in apps:
        if value == app or re.fullmatch(rf"{re.escape(app)}(\.\w+)+", value):
            return app
    return None


def python_findings(path: Path, apps: list[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A dotted path or model label: "applications.demo", "commissions.Violation".
            app = _names_app(node.value, apps)
            if app and node.value != app:
                findings.append((node.lineno, f"the string {node.value!r} names {app}"))
        elif isinstance(node, ast.Call) and node.args:
            # An app by its bare name: get_model("commissions", "Violation"), get_app_config(...).
            func, first = node.func, node.args[0]
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in NAMING_CALLS and isinstance(first, ast.Constant) and first.value in apps:
                findings.append((node.lineno, f"{name}({first.value!r}, ...) names {first.value}"))
        elif isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            app, migration = (e.value for e in node.elts)
            if app in apps and re.match(r"\d{4}_|__first__|__latest__", migration):
                findings.append((node.lineno, f"depends on {app}'s migration {migration!r}"))
    return [f"{where}:{lineno}: {what}" for lineno, what in sorted(findings)]


def template_findings(path: Path, apps: list[str]) -> list[str]:
    findings = []
    names = "|".join(re.escape(app) for app in apps)
    pattern = re.compile(rf"""["']({names})[/:][^"']*["']""")
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in pattern.finditer(line):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            findings.append(f"{where}:{lineno}: refers to {match.group(1)}: {match.group(0)}")
    return findings


def core_templates() -> list[Path]:
    app_dirs = {ROOT / "templates" / app for app in APPS}
    return [p for p in (ROOT / "templates").rglob("*") if p.is_file()
            and not any(d in p.parents for d in app_dirs)]


def check() -> list[str]:
    findings = []
    for index, (_name, package, template_dirs) in enumerate(STAGES):
        apps = later_apps(index)
        if not apps:
            continue
        for path in sorted(package.rglob("*.py")):
            findings += python_findings(path, apps)
        templates = core_templates() if template_dirs is None else [
            p for d in template_dirs if d.exists() for p in d.rglob("*") if p.is_file()]
        for path in sorted(templates):
            findings += template_findings(path, apps)
    return findings


def main() -> int:
    findings = check()
    for finding in findings:
        print(finding)
    if findings:
        print(f"\n{len(findings)} reference(s) from an earlier stage to a later one "
              "(core <- applications <- commissions <- allocation); plug in through "
              "quota_portal.core.registry instead.", file=sys.stderr)
        return 1
    print("Stage order in strings and templates: kept.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
