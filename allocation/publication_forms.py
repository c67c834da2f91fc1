"""Forms of the approver's review of a distribution (Rules p.19): approve with the day of the
distribution, decline with a reason, withdraw, publish. Field names follow the services' errors
(`day`, `reason`) so that a refusal lands on the field."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal

from .quota_models import MAX_TEXT


class AsciiDateField(forms.DateField):
    """A date typed in ASCII digits: Python's parser would take fullwidth or Arabic-Indic digits too,
    and a date the user cannot read back is not the one they meant to type."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ApproveForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)
    day = AsciiDateField(label=_("Day of the distribution (Rules p.19)"),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text=_("Publication is due within 3 working days from this day."))
    reason = portal.CharField(label=_("Reason for the delay, if after the deadline"), max_length=MAX_TEXT,
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = portal.CharField(label=_("Reason for declining"), max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RevisionForm(forms.Form):
    """Withdraw or publish: only the revision the user saw."""

    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)
