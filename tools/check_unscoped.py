"""Tenant scoping is bypassed only where it says so: no `_base_manager` outside quota_portal/core,
and every `unscoped(...)` names its reason as a literal string.

    python tools/check_unscoped.py            exit 1 and list each offending line
    python tools/check_unscoped.py --list     list every unscoped(...) use with its reason

Run by the test suite (tests/core/test_unscoped_check.py), and so by `make test` and .ci/run.
Core owns the scoping module and the few queries that define scopes; everywhere else a query that
must see beyond the caller's tenant says why: `Model.objects.unscoped("reason")` or
`with unscoped("reason"):` (quota_portal/core/scoping.py).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("quota_portal", "core")
SKIP_DIRS = {".venv", "node_modules", "var", ".git", "__pycache__", "test-artifacts", "build", "dist"}
FORBIDDEN = "_base_" + "manager"  # spelled so that this file does not match itself


def python_files(root: Path):
    for path in sorted(root.rglob("*.py")):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def _reason(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value.strip() or None
    return None


def _is_unscoped(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "unscoped") or (
        isinstance(func, ast.Attribute) and func.attr == "unscoped")


def scan(path: Path, root: Path = ROOT) -> tuple[list[str], list[str]]:
    """(problems, unscoped uses) of one file, each as "path:line: text"."""
    rel = path.relative_to(root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    in_core = rel.parts[:2] == CORE
    problems, uses = [], []
    for node in ast.walk(tree):
        named = (isinstance(node, ast.Attribute) and node.attr == FORBIDDEN) or (
            isinstance(node, ast.Constant) and node.value == FORBIDDEN)
        if named and not in_core:
            problems.append(f"{rel}:{node.lineno}: {FORBIDDEN} bypasses tenant scoping outside quota_portal/core; "
                            "use .objects under the caller's scope, or .objects.unscoped(\"why\")")
        if isinstance(node, ast.Call) and _is_unscoped(node):
            reason = _reason(node)
            if reason is None:
                problems.append(f"{rel}:{node.lineno}: unscoped() needs its reason as a non-empty literal string")
            else:
                uses.append(f"{rel}:{node.lineno}: {reason}")
    def by_line(text: str) -> int:
        return int(text.split(":")[1])

    return sorted(problems, key=by_line), sorted(uses, key=by_line)


def check(root: Path = ROOT) -> tuple[list[str], list[str]]:
    problems, uses = [], []
    for path in python_files(root):
        p, u = scan(path, root)
        problems += p
        uses += u
    return problems, uses


def main(argv: list[str]) -> int:
    problems, uses = check()
    if "--list" in argv:
        print("\n".join(uses))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
