"""Forms of the akimat review and the Commission (crispy-forms); views pass cleaned_data to services."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal
from quota_portal.core.models import Occupation, Organization, User
from quota_portal.core.validators import validate_bin_iin

from .models import Commission, LabourMarketFigure, Member, Violation
from .xlsx import MAX_NOTE, MAX_UPLOAD


class CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class FigureForm(CrispyMixin, forms.ModelForm):
    occupation = portal.ModelChoiceField(Occupation.objects.filter(is_active=True), label=_("occupation"))
    # The same limit as a note imported from the template.
    note = portal.CharField(label=_("note"), required=False, max_length=MAX_NOTE,
                            widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = LabourMarketFigure
        formfield_callback = portal.formfield
        fields = ["occupation", *LabourMarketFigure.NUMBER_FIELDS, "note"]


class FigureImportForm(CrispyMixin, forms.Form):
    submit_label = _("Import")
    file = forms.FileField(label=_("XLSX file (the template)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        head = f.read(4)
        f.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an XLSX file: download the template and fill it in."))
        return f


class ViolationForm(CrispyMixin, forms.ModelForm):
    """The employer is chosen from those that filed in the region (the scoped list), or named
    deliberately by its BIN/IIN; the service checks that it is a registered organization."""

    bin_iin = portal.BinIinField(
        label=_("Or the employer's BIN/IIN"), required=False,
        help_text=_("To record a violation of an employer that has not filed in the region, type its 12-digit "
                    "BIN/IIN."))

    class Meta:
        model = Violation
        formfield_callback = portal.formfield
        fields = ["organization", "bin_iin", "ground", "year", "description", "remedied_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "remedied_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.all()
        self.fields["organization"].required = False
        self.fields["organization"].label = _("Employer (filed in the region)")

    def clean_bin_iin(self):
        value = (self.cleaned_data.get("bin_iin") or "").strip()
        if value:
            validate_bin_iin(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not data.get("bin_iin") and "bin_iin" not in self.errors \
                and "organization" not in self.errors:
            self.add_error("organization", _("Choose the employer from the list or type its BIN/IIN."))
        return data


class RemedyForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Violation
        formfield_callback = portal.formfield
        fields = ["description", "remedied_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "remedied_on": forms.DateInput(attrs={"type": "date"})}


class CommissionForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Commission
        formfield_callback = portal.formfield
        fields = ["name", "name_kk", "name_en", "quorum"]


class MemberForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Member
        formfield_callback = portal.formfield
        fields = ["full_name", "position", "body", "role", "user", "is_active"]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only portal users acting for this region's akimat as secretary or member can be linked.
        self.fields["user"].queryset = User.objects.filter(
            memberships__authority__region=region,
            memberships__role__in=["commission_member", "commission_secretary"]).distinct()
        self.fields["user"].required = False


class SessionForm(CrispyMixin, forms.Form):
    submit_label = _("Set up the session")
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = portal.CharField(label=_("place"), max_length=300)


class LateReasonForm(forms.Form):
    late_reason = portal.CharField(label=_("reason for the delay"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    member = portal.IntegerField()
    reason = portal.CharField(label=_("nature of the conflict of interest"), max_length=2000)


class SignForm(forms.Form):
    as_chair = forms.BooleanField(required=False)
    chair_paper_note = portal.CharField(required=False, max_length=300)
