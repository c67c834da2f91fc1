"""tools/check_imports.py: the stage order where import-linter cannot see it (strings, templates).

`make test` runs it and `lint-imports` before pytest; these tests pin what it finds."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_imports", ROOT / "tools" / "check_imports.py")
check_imports = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_imports)

LATER = ["applications", "commissions", "allocation"]


def test_the_tree_keeps_the_stage_order_in_strings_and_templates():
    assert check_imports.check() == []


def test_it_finds_modules_models_and_migrations_of_a_later_stage_named_in_strings(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(
        "from importlib import import_module\n"
        "from django.apps import apps\n"
        "demo = import_module('applications.demo')\n"
        "violation = apps.get_model('commissions', 'Violation')\n"
        "renderer = 'commissions.pdf.notice_attachment'\n"
        "dependencies = [('core', '0008_x'), ('allocation', '0001_initial')]\n"
        "word = 'applications'\n"  # a bare word is only a word
        "core = import_module('quota_portal.core.models')\n", encoding="utf-8")
    found = check_imports.python_findings(module, LATER)
    assert [line.split(":")[1] for line in found] == ["3", "4", "5", "6"]
    assert check_imports.python_findings(module, ["allocation"]) == [found[-1]]


def test_it_finds_a_template_of_an_earlier_stage_that_includes_or_links_a_later_one(tmp_path):
    template = tmp_path / "nav.html"
    template.write_text('{% include "applications/_nav.html" %}\n<a href="/applications/">x</a>\n'
                        "<a href=\"{% url 'commissions:inbox' %}\">y</a>\n{% url 'dashboard' %}\n", encoding="utf-8")
    found = check_imports.template_findings(template, LATER)
    assert [line.split(":")[1] for line in found] == ["1", "3"]
