"""Forms of the labour force and the scenarios: they validate and lay out; the services record. A
refused submission re-renders the form with what the user typed."""
from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal
from quota_portal.core.models import Category, Region
from quota_portal.core.parsing import ASCII_SPACE

from .quota_compute import Adjustment, ScenarioInputs
from .quota_models import MAX_LABOUR_FORCE, MAX_QUOTA, MAX_TEXT, ApportionMethod
from .scenario_labour import MAX_UPLOAD
from .scenario_services import MAX_NAME, MAX_SOURCE, LabourForceRow, ScenarioData
from .scenario_tables import percent_text

_PERCENT = re.compile(r"([0-9]{1,3})(?:[.,]([0-9]{1,5}))?")


class PercentField(forms.Field):
    """A percentage typed with the digits 0-9 and a point or comma, at most 5 decimals, 0 to 100
    (Django's DecimalField would take "٣" and "1e2")."""

    default_error_messages = {"invalid": _("Enter a percentage from 0 to 100 with the digits 0-9, e.g. 0.25.")}  # noqa: RUF012

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                           "class": "qp-num", "maxlength": 20}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        match = _PERCENT.fullmatch(str(value)[:40].strip(ASCII_SPACE))
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = Decimal(f"{match[1]}.{match[2] or '0'}")
        if number > 100:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class BootstrapMixin:
    """Bootstrap 5 classes on the widgets (the templates render each field with its error slot)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


def _number(label, *, required=False, min_value=0, max_value=MAX_QUOTA, help_text=""):
    return portal.IntegerField(label=label, required=required, min_value=min_value, max_value=max_value,
                               help_text=help_text,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                             "class": "qp-num"}))


def _reason(label):
    return portal.CharField(label=label, required=False, max_length=MAX_TEXT,
                            widget=forms.Textarea(attrs={"rows": 1}))


class ScenarioForm(BootstrapMixin, forms.Form):
    name = portal.CharField(label=_("Name of the scenario"), max_length=MAX_NAME)
    method = forms.ChoiceField(label=_("Apportionment method"), choices=ApportionMethod.choices,
                               help_text=_("How the permits are shared when the requests exceed them (Rules p.20)."))
    permits_percent = PercentField(label=_("Permits, % of the labour force"))
    permits_total_override = _number(_("Permits, number typed instead"),
                                     help_text=_("Leave empty to use the percentage."))
    permits_override_reason = _reason(_("Reason for the typed number of permits"))
    reserve = _number(_("National reserve"), required=True,
                      help_text=_("Held back from the permits; a redistribution (p.21) can give it out later."))
    countries_percent = PercentField(label=_("Countries of origin, % of the labour force"))
    countries_total_override = _number(_("Countries of origin, number typed instead"))
    countries_override_reason = _reason(_("Reason for the typed number (countries of origin)"))
    immigrants_percent = PercentField(label=_("Labour immigrants, % of the labour force"))
    immigrants_total_override = _number(_("Labour immigrants, number typed instead"))
    immigrants_override_reason = _reason(_("Reason for the typed number (labour immigrants)"))
    notes = portal.CharField(label=_("Notes"), required=False, max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 2}))
    revision = portal.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def scenario_data(self, adjustments: AdjustmentFormSet) -> ScenarioData:
        d = self.cleaned_data
        inputs = ScenarioInputs(
            method=d["method"], reserve=d["reserve"] or 0,
            **{f"{c}_percent": d.get(f"{c}_percent") or Decimal(0) for c in ("permits", "countries", "immigrants")},
            **{f"{c}_total_override": d.get(f"{c}_total_override") for c in ("permits", "countries", "immigrants")},
            **{f"{c}_override_reason": d.get(f"{c}_override_reason") or ""
               for c in ("permits", "countries", "immigrants")},
            adjustments=tuple(adjustments.adjustments))
        return ScenarioData(name=d["name"], inputs=inputs, notes=d.get("notes") or "")


def scenario_initial(scenario) -> dict:
    return {"name": scenario.name, "method": scenario.method, "reserve": scenario.reserve,
            "notes": scenario.notes, "revision": scenario.revision,
            **{f"{c}_percent": percent_text(getattr(scenario, f"{c}_percent"))
               for c in ("permits", "countries", "immigrants")},
            **{f"{c}_total_override": getattr(scenario, f"{c}_total_override")
               for c in ("permits", "countries", "immigrants")},
            **{f"{c}_override_reason": getattr(scenario, f"{c}_override_reason")
               for c in ("permits", "countries", "immigrants")}}


class AdjustmentForm(BootstrapMixin, forms.Form):
    region = portal.ModelChoiceField(Region.objects.order_by("name_ru"), label=_("Region"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", "—"), *[(c.value, c.value) for c in Category]])
    delta = _number(_("Change (+ or −)"), min_value=-MAX_QUOTA)
    reason = portal.CharField(label=_("Reason"), required=False, max_length=MAX_TEXT)

    def clean(self):
        d = super().clean()
        filled = [name for name in ("region", "category", "delta", "reason") if d.get(name) not in (None, "")]
        if filled and len(filled) < 4:
            for name in ("region", "category", "delta", "reason"):
                if d.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Fill in the region, category, change and reason, or clear the row."))
        if d.get("delta") == 0:
            self.add_error("delta", _("A change of 0 changes nothing: clear the row."))
        return d


class BaseAdjustmentFormSet(forms.BaseFormSet):
    def clean(self):
        self.adjustments = []
        if any(self.errors):
            return
        for form in self.forms:
            d = form.cleaned_data
            if d.get("region") and d.get("delta"):
                self.adjustments.append(Adjustment(d["region"].pk, d["category"], d["delta"], d["reason"]))


AdjustmentFormSet = forms.formset_factory(AdjustmentForm, formset=BaseAdjustmentFormSet, extra=2, max_num=40,
                                          validate_max=True)


def adjustment_initial(scenario) -> list[dict]:
    return [{"region": a.region_id, "category": a.category, "delta": a.delta, "reason": a.reason}
            for a in scenario.adjustments.order_by("pk")]


class ProposeForm(BootstrapMixin, forms.Form):
    reason = portal.CharField(label=_("What the proposal is based on"), max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RevisionForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class LabourForceForm(BootstrapMixin, forms.Form):
    region = portal.ModelChoiceField(Region.objects.order_by("name_ru"), label=_("Region"), required=False,
                                     empty_label=_("Kazakhstan (national)"))
    persons = _number(_("Labour force, persons"), required=True, min_value=1, max_value=MAX_LABOUR_FORCE)
    source = portal.CharField(label=_("Source"), max_length=MAX_SOURCE,
                              help_text=_("The statistics release the figure comes from (its address)."))
    as_of = forms.DateField(label=_("Figure as of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def row(self) -> LabourForceRow:
        d = self.cleaned_data
        return LabourForceRow(region=d["region"], persons=d["persons"], source=d["source"], as_of=d["as_of"])


class LabourForceImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"),
                           help_text=_("Columns: region (KATO code; 000000000 for the whole country), persons, "
                                       "source, as_of. All rows are recorded, or none."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 1 MB."))
        return f
