"""Forms of the regional submission (Annexes 2-4); views pass cleaned_data to the services. Every
number is typed with 0-9 (portal fields), every text has a length limit: hostile input is a field
error, never a 500."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal

from .models import MAX_SUBMISSION_FIGURE

MAX_TEXT = 20_000
MAX_NOTE = 5_000
MAX_REASON = 2_000


def _text(label, *, max_length=MAX_NOTE, required=False, rows=3):
    return portal.CharField(label=label, required=required, max_length=max_length,
                            widget=forms.Textarea(attrs={"rows": rows}))


def _figure(label):
    return portal.IntegerField(label=label, min_value=0, max_value=MAX_SUBMISSION_FIGURE, required=False)


class RevisionForm(forms.Form):
    revision = portal.IntegerField(min_value=0, widget=forms.HiddenInput)


class CoveringForm(RevisionForm):
    covering_justification = _text(_("Covering justification of the region (Rules p.12)"), max_length=MAX_TEXT,
                                   rows=6)


class ExclusionForm(forms.Form):
    application = portal.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = _text(_("Why it is left out"), max_length=MAX_REASON, required=True, rows=2)


class LabourImmigrantsForm(RevisionForm):
    li_demand_figure = _figure(_("p.15(1): labour demand in the region, incl. planned jobs"))
    li_demand_note = _text(_("note on p.15(1)"))
    li_unemployment_figure = _figure(_("p.15(2): forecast unemployed people and expected releases"))
    li_unemployment_note = _text(_("note on p.15(2)"))
    li_effectiveness_figure = _figure(_("p.15(3): labour immigrants attracted last year, and the forecast need"))
    li_effectiveness_note = _text(_("note on p.15(3)"))
    li_current_year_count = _figure(_("Labour immigrants attracted in the current year (units)"))
    li_need = _figure(_("Need for labour immigrants for the year"))
    li_justification = _text(_("Justification of the need"), max_length=MAX_TEXT, rows=4)
    late_reason = _text(_("Reason for the delay (after the p.15 deadline)"), max_length=MAX_REASON, rows=2)

    def __init__(self, *args, late: bool = True, **kwargs):
        """The reason for the delay is asked only once the p.15 deadline has passed."""
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["late_reason"]


class CountryForecastForm(forms.Form):
    country = portal.IntegerField(min_value=1, widget=forms.HiddenInput)
    forecast_figure = _figure(_("labour-market forecast under the treaty"))
    forecast_note = _text(_("note on the forecast"), rows=2)
    cat1 = _figure(_("category 1"))
    cat2 = _figure(_("category 2"))
    cat3 = _figure(_("category 3"))
    cat4 = _figure(_("category 4"))
    seasonal = _figure(_("seasonal foreign workers"))


class SendForm(RevisionForm):
    confirm = forms.BooleanField(label=_("I have checked the three annexes and send them to the Ministry in my name"))
    reason = _text(_("Reason for the new version"), max_length=MAX_REASON, rows=2)
    late_reason = _text(_("Reason for sending after the deadline (Rules p.12)"), max_length=MAX_REASON, rows=2)

    def __init__(self, *args, late: bool = True, resend: bool = True, **kwargs):
        """Each reason is asked only when it applies: for a new version once one was sent, for the
        delay once the p.12 deadline has passed (the services refuse a send that lacks one)."""
        super().__init__(*args, **kwargs)
        if not resend:
            del self.fields["reason"]
        if not late:
            del self.fields["late_reason"]


class FileRequestForm(forms.Form):
    annex = forms.ChoiceField(choices=[("2", "2"), ("3", "3"), ("4", "4")])
    fmt = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("pdf", "PDF")])
    language = forms.ChoiceField(choices=[("ru", "ru"), ("kk", "kk")])
