"""Small template helpers for the Annex 1 pages."""
from django import template

register = template.Library()


def row_label(bound_field) -> str:
    """The accessible name of a table row's input: "Number, row 2" (a formset form's prefix ends
    with its index; the empty form's "__row__" is numbered by static/js/applications.js)."""
    from django.utils.translation import gettext

    index = (bound_field.form.prefix or "").rpartition("-")[2]
    if index.isdigit():
        row = str(int(index) + 1)
    elif index == "__prefix__":
        row = "__row__"
    else:
        return str(bound_field.label)
    return gettext("%(label)s, row %(n)s") % {"label": bound_field.label, "n": row}


@register.filter
def field_control(bound_field, css: str = "form-control form-control-sm"):
    """Render a bound field's widget with Bootstrap classes, marked invalid when it has errors, and
    named for its row (screen readers tell "Number, row 2" from "Number, row 3")."""
    classes = css + (" is-invalid" if bound_field.errors else "")
    existing = bound_field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {classes}".strip(), "aria-label": row_label(bound_field)}
    if bound_field.errors:
        attrs |= {"aria-invalid": "true", "aria-describedby": f"{bound_field.auto_id}-error"}
    return bound_field.as_widget(attrs=attrs)


@register.filter
def category_label(code: str) -> str:
    from quota_portal.core.models import Category

    try:
        return str(Category(code).label)
    except ValueError:
        return code


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def snapshot_occupation(line: dict) -> str:
    """The occupation title stored in a version snapshot, in the reader's language."""
    from django.utils.translation import get_language

    lang = (get_language() or "ru")[:2]
    return line.get(f"occupation_{lang}") or line.get("occupation_ru", "")


@register.filter
def translate_note(note: str) -> str:
    """A timeline note stored as an English msgid, in the reader's language (free text unchanged)."""
    from django.utils.translation import gettext

    return gettext(note) if note else ""


@register.filter
def snapshot_date(value: str):
    """A snapshot's ISO date ("2026-06-27") as a date, for the |date filter in the reader's locale."""
    import datetime

    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@register.filter
def row_named(bound_field):
    """A row's checkbox or other control named for its row, with no other class added."""
    return bound_field.as_widget(attrs={"aria-label": row_label(bound_field)})
