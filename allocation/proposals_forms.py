"""Forms of central-body proposals (Rules p.13): they validate and lay out; the services change the
data. A refused submission re-renders the form with what the user typed."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal
from quota_portal.core.models import Campaign, Region

from .proposals_models import MAX_TEXT, MAX_TITLE
from .proposals_services import ProposalInput, ProposalLineInput, check_proposal_lines, parse_agreed_count


class ProposalForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Quota year"), empty_label=None)
    region = portal.ModelChoiceField(Region.objects.all(), label=_("Region where the workers will work"),
                                     help_text=_("The proposal goes to this region's akimat for agreement "
                                                 "(Rules p.13)."))
    title = portal.CharField(label=_("Subject of the proposal"), max_length=MAX_TITLE,
                             help_text=_("For example: the national project, programme or plan the workers serve."))
    justification = portal.CharField(
        label=_("Justification from the labour-market forecast"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The forecast of labour demand and supply for the year and why the need cannot be met from "
                    "the domestic labour market (Rules p.13)."))
    projects = portal.CharField(label=_("Projects the workers are needed for"), max_length=MAX_TEXT,
                                required=False, widget=forms.Textarea(attrs={"rows": 3}))
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    revision = portal.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, campaigns=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        field.queryset = Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
        if editing:
            # The campaign of a draft is fixed; its region may still change.
            del self.fields["campaign"]

    def proposal_input(self, lines: LineFormSet) -> ProposalInput:
        d = self.cleaned_data
        return ProposalInput(title=d["title"], justification=d["justification"], projects=d.get("projects", ""),
                             lines=lines.rows)


class LineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[
        ("", "—"), ("1", _("1 — Heads and deputies")), ("2", _("2 — Heads of divisions")),
        ("3", _("3 — Specialists")), ("4", _("4 — Qualified workers")), ("S", _("S — Seasonal workers"))])
    occupation = portal.CharField(label=_("Occupation"), max_length=20,
                                  widget=forms.TextInput(attrs={"class": "qp-occupation", "autocomplete": "off",
                                                                "placeholder": _("code or title")}))
    count = portal.CharField(label=_("Number"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "qp-num"}))
    justification = portal.CharField(label=_("Justification of the line"), max_length=MAX_TEXT, required=False,
                                     widget=forms.Textarea(attrs={"rows": 1}))


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        self.rows = []
        if any(self.errors):
            return
        forms_by_row = {}
        for i, form in enumerate(self.forms):
            if not form.has_changed() or self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            d = form.cleaned_data
            self.rows.append(ProposalLineInput(category=d["category"], occupation_code=d["occupation"],
                                               count=d["count"], justification=d.get("justification", ""), row=i + 1))
            forms_by_row[i + 1] = form
        _lines, problems = check_proposal_lines(self.rows)
        for problem in problems:
            if problem.row in forms_by_row:
                forms_by_row[problem.row].add_error(problem.field or None, problem.message)
            else:
                raise forms.ValidationError(problem.message)


# absolute_max: a crafted TOTAL_FORMS never makes the server build more forms than may be sent.
LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=1, can_delete=True, max_num=200,
                                    absolute_max=200, validate_max=True)


class SendForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)
    late_reason = portal.CharField(label=_("Reason for sending after the deadline"), max_length=MAX_TEXT,
                                   required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DeleteForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)


class DeclineForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = portal.CharField(label=_("Reason for declining"), max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(forms.Form):
    """The agreed number of each line (the proposed one by default) and, where it differs, the reason."""

    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"agreed_{line.pk}"] = portal.CharField(
                label=_("Agreed number"), max_length=20, initial=line.count,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "qp-num"}))
            self.fields[f"reason_{line.pk}"] = portal.CharField(
                label=_("Reason for the change"), max_length=MAX_TEXT, required=False,
                widget=forms.Textarea(attrs={"rows": 1}))

    def clean(self):
        data = super().clean()
        for line in self.lines:
            raw = data.get(f"agreed_{line.pk}")
            if raw is None:
                continue
            try:
                agreed = parse_agreed_count(raw)
            except ValueError as exc:
                self.add_error(f"agreed_{line.pk}", str(exc))
                continue
            if agreed != line.count and not (data.get(f"reason_{line.pk}") or "").strip():
                self.add_error(f"reason_{line.pk}", _("State the reason for changing the number."))
        return data

    def counts(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {line.pk: (d[f"agreed_{line.pk}"], d.get(f"reason_{line.pk}", "")) for line in self.lines}

    def rows(self):
        """(line, agreed field, reason field) for the template."""
        return [(line, self[f"agreed_{line.pk}"], self[f"reason_{line.pk}"]) for line in self.lines]
