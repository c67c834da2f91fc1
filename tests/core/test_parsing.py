"""Numbers, ids and text from outside: one helper, one form field per kind, used by every form."""
from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.utils import translation

from quota_portal.core import fields as portal
from quota_portal.core.parsing import MAX_BIGINT, clean_text, parse_id, parse_int

# Python's isdigit() says yes to the first three, int() takes the next four; none is 0-9.
NOT_ASCII_DIGITS = ["²", "①", "٣", "１", "٣٣", "3_0", "+3", "1e3", "1.0", "0x1f", "", " ", "1 2", "\u00a012", "12\x00"]


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS + [None, 3.0, True, [], "-1", "-0"])
def test_parse_int_refuses_anything_but_ascii_digits(raw):
    assert parse_int(raw) is None
    assert parse_int(raw, min_value=0) is None


@pytest.mark.parametrize("raw,expected", [("12", 12), (" 12 ", 12), ("\t7\n", 7), ("007", 7), ("0", 0), (5, 5)])
def test_parse_int_reads_digits_with_surrounding_ascii_whitespace(raw, expected):
    assert parse_int(raw) == expected


def test_a_minus_sign_is_read_only_where_the_caller_allows_negatives():
    assert parse_int("-5") is None
    assert parse_int("-5", min_value=0) is None
    assert parse_int("-5", min_value=-10) == -5
    assert parse_int("-0", min_value=-1) == 0
    assert parse_int(-5) is None and parse_int(-5, min_value=-5) == -5
    assert parse_int("--5", min_value=-10) is None


def test_bounds_and_huge_numbers_are_none_without_an_exception():
    assert parse_int("11", max_value=10) is None and parse_int("10", max_value=10) == 10
    assert parse_int(str(10**30)) is None
    # int() raises ValueError beyond 4300 digits; the helper never gets that far.
    assert parse_int("9" * 5000) is None
    assert parse_int("0" * 5000 + "7") == 7


def test_parse_id_takes_a_primary_key_and_nothing_else():
    assert parse_id("1") == 1 and parse_id(str(MAX_BIGINT)) == MAX_BIGINT
    for raw in ["0", "-1", str(MAX_BIGINT + 1), "٣", "²", "①", "１", None, ""]:
        assert parse_id(raw) is None


def test_clean_text_removes_invisible_controls_and_keeps_tab_and_newlines():
    assert clean_text("a\x01b\x08c\x0bd\x0ce\x1ff") == "abcdef"
    assert clean_text("line 1\r\nline 2\tend") == "line 1\r\nline 2\tend"
    assert clean_text("\x00") == "\x00"  # NUL is refused elsewhere, never silently dropped
    assert clean_text(None) == ""


# --- the form fields -------------------------------------------------------------------------

class CountForm(forms.Form):
    count = portal.IntegerField(min_value=0, max_value=10_000)
    delta = portal.IntegerField(required=False)


@pytest.mark.parametrize("raw", ["٣", "²", "①", "１", "1e3", "-0", "3_0", "+3", "1.5", "-3"])
def test_the_integer_field_refuses_what_is_not_typed_with_0_to_9(raw):
    with translation.override("en"):
        form = CountForm({"count": raw})
        assert not form.is_valid()
        assert form.errors["count"] == ["Enter the number with digits 0-9."]


def test_the_integer_field_refusal_is_translated():
    for lang in ("ru", "kk"):
        with translation.override(lang):
            form = CountForm({"count": "٣"})
            assert not form.is_valid()
            assert form.errors["count"][0] != "Enter the number with digits 0-9."


def test_the_integer_field_reads_spaces_around_the_digits_and_says_the_limit_of_a_huge_number():
    form = CountForm({"count": " 12 ", "delta": "-0"})
    assert form.is_valid() and form.cleaned_data == {"count": 12, "delta": 0}
    with translation.override("en"):
        form = CountForm({"count": str(10**30), "delta": str(10**30)})
        assert not form.is_valid()
        assert "less than or equal to 10000" in form.errors["count"][0]
        assert "less than or equal to" in form.errors["delta"][0]
        form = CountForm({"count": "1", "delta": "-" + str(10**30)})
        assert not form.is_valid() and "greater than or equal to" in form.errors["delta"][0]


def test_the_text_field_removes_control_characters_and_refuses_nul():
    class NoteForm(forms.Form):
        note = portal.CharField()

    form = NoteForm({"note": "Спрос\x01 120\x1b"})
    assert form.is_valid() and form.cleaned_data["note"] == "Спрос 120"
    assert not NoteForm({"note": "a\x00b"}).is_valid()


# --- every form of the project uses them ---------------------------------------------------------

FORM_MODULES = ["applications.forms", "commissions.forms", "quota_portal.core.forms",
                "quota_portal.core.accounts_forms"]


def project_forms():
    seen = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == name:
                seen.append(obj)
            elif inspect.isclass(obj) and issubclass(obj, forms.BaseFormSet) and hasattr(obj, "form"):
                seen.append(obj.form)  # a formset_factory() class: its form
    return seen


def test_every_number_text_and_object_field_of_every_project_form_is_the_portals():
    offenders = []
    found = project_forms()
    assert len(found) >= 20  # the walk sees the forms (a renamed module would make it vacuous)
    for form in found:
        for name, field in form.base_fields.items():
            if isinstance(field, forms.IntegerField) and not isinstance(field, portal.IntegerField):
                offenders.append(f"{form.__name__}.{name}")
            if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput):
                offenders.append(f"{form.__name__}.{name}")
            if type(field) is forms.ModelChoiceField:
                offenders.append(f"{form.__name__}.{name}")
            if isinstance(field, forms.EmailField) and not isinstance(field, portal.EmailField):
                offenders.append(f"{form.__name__}.{name}")  # 320 characters where the columns hold 254
    assert offenders == []


@pytest.mark.django_db
def test_an_object_is_chosen_by_its_id_typed_with_0_to_9_only(cast):
    from quota_portal.core.models import Region

    class RegionForm(forms.Form):
        region = portal.ModelChoiceField(Region.objects.all())

    region = Region.objects.order_by("pk").first()
    ascii_id = str(region.pk)
    arabic_indic = ascii_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert RegionForm({"region": f" {ascii_id} "}).is_valid()
    for raw in (arabic_indic, "²", "9" * 30, "-1", f"{ascii_id}_0"):
        form = RegionForm({"region": raw})
        with translation.override("en"):
            assert not form.is_valid() and form.errors["region"][0].startswith("Select a valid choice"), raw
