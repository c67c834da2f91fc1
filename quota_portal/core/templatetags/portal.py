"""Small template helpers of the base layout."""
from django import template

from quota_portal.core import calendar, registry

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_entries(context) -> list:
    """`{% nav_entries as entries %}`: the header entries the apps registered for the acting role."""
    return registry.nav_entries(context.get("acting_membership"))


@register.filter
def deadline_extension(campaign, name: str):
    """`{% include "core/_deadline_extension.html" with ext=campaign|deadline_extension:"filing" %}`:
    the latest extension of the campaign's deadline `name` after an outage, or None."""
    return campaign.extension_of(name) if campaign is not None else None


@register.filter
def days_left(moment) -> int:
    """Whole days from now until `moment` (calendar.days_left, the one computation of it)."""
    return calendar.days_left(moment)


def _anchor(bound_field) -> str:
    """The id the summary links to: the field's control (a group of boxes: its first box)."""
    if bound_field.is_hidden:
        return ""
    return bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")


def _first_anchor(form) -> str:
    return next((a for a in (_anchor(bf) for bf in form.visible_fields()) if a), "")


def _form_entries(form, row: int | None = None) -> list[dict]:
    from django.utils.translation import gettext as _

    def text(label, message):
        parts = []
        if row is not None:
            parts.append(_("Row %(n)s") % {"n": row})
        if label and str(label).lower() not in str(message).lower():
            parts.append(str(label))
        return ": ".join([*parts, str(message)]) if parts else str(message)

    entries = [{"href": _first_anchor(form), "text": text("", e)} for e in form.non_field_errors()]
    for bf in form:
        for e in bf.errors:
            entries.append({"href": _anchor(bf), "text": text(bf.label, e)})
    return entries


def collect_form_errors(values) -> list[dict]:
    """Every error of the validated forms and formsets among `values`, in their order, each with the
    id of the field it belongs to: [{"href": "id_x", "text": "..."}]. Only forms already validated
    count (`_errors` set), so that showing a page never validates a form."""
    from django.forms import BaseForm
    from django.forms.formsets import BaseFormSet

    seen, out = set(), []
    for value in values:
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseFormSet) and value.is_bound and value._errors is not None:
            forms = list(value.forms)
            first = next((a for a in (_first_anchor(f) for f in forms) if a), "")
            out += [{"href": first, "text": str(e)} for e in value.non_form_errors()]
            for i, form in enumerate(forms, start=1):
                if not (value.can_delete and value._should_delete_form(form)):
                    out += _form_entries(form, row=i)
        elif isinstance(value, BaseForm) and value.is_bound and value._errors is not None:
            out += _form_entries(value)
    return out


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[dict]:
    """`{% form_errors as errors %}` in the base layout: the errors of every form on the page (Django
    forms and formsets in the context, and `page_errors`, [(field id, message)], of a hand-made
    form), for the error summary and the "Error: " prefix of the title (GOV.UK error pattern)."""
    flat = context.flatten()
    out = collect_form_errors(v for k, v in flat.items() if not k.startswith("_"))
    out += [{"href": anchor, "text": str(message)} for anchor, message in flat.get("page_errors") or []]
    return out


@register.simple_tag(takes_context=True)
def nav_current(context, url_name: str, prefix: str = "") -> bool:
    """`{% nav_current "dashboard" as current %}`: the header link is the page shown (its own URL,
    or any path under `prefix`), to mark it with aria-current="page"."""
    from django.urls import NoReverseMatch, reverse

    request = context.get("request")
    if request is None:
        return False
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return False
    return request.path == url or bool(prefix) and request.path.startswith(prefix)


@register.simple_tag(takes_context=True)
def nav_any_current(context, links, prefix: str = "") -> bool:
    """A dropdown of the header is current when one of its links is, or (with `prefix`, the
    entry's `active_prefix`) on any path under it."""
    request = context.get("request")
    if prefix and request is not None and request.path.startswith(prefix):
        return True
    return any(nav_current(context, link.url_name) for link in links)


@register.filter
def sum_of(rows, key: str) -> int:
    """`{{ lines|sum_of:"count" }}`: the total row of a table of counts (attribute or dict key;
    what is not a number counts as 0)."""
    total = 0
    for row in rows or ():
        value = row.get(key) if isinstance(row, dict) else getattr(row, key, None)
        if isinstance(value, int) and not isinstance(value, bool):
            total += value
    return total


@register.filter
def thousands(value):
    """`{{ 12345|thousands }}` -> "12 345" (a no-break space between the groups, as the forms print
    counts); what is not an int is shown as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u00a0")
    return "" if value is None else value


@register.filter
def split(value: str) -> list[str]:
    """`{% for key in "a b c"|split %}`."""
    return str(value).split()
