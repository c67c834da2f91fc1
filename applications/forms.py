"""Forms of the Annex 1 filing: they validate and lay out; services change the data."""
from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign, Region

from . import uploads
from .models import Application
from .services import DECLARATION, LineInput, check_lines


class StartForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Quota year"), empty_label=None)
    region = portal.ModelChoiceField(Region.objects.all(), label=_("Region where the workers will work"),
                                     help_text=_("An employer working in several regions files one application "
                                                 "in each (Rules p.6)."))

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any campaign is accepted as input so that a closed one gets a refusal naming p.6 (not Django's
        # "invalid choice"); only the open ones are offered.
        self.open_campaigns = list(campaigns)
        field = self.fields["campaign"]
        field.queryset = Campaign.objects.all()
        field.widget.choices = [(c.pk, str(c)) for c in self.open_campaigns]

    def clean_campaign(self):
        from quota_portal.core.errors import DeadlinePassed

        campaign = self.cleaned_data["campaign"]
        if campaign.pk in {c.pk for c in self.open_campaigns}:
            return campaign
        if not campaign.is_open("filing"):
            raise forms.ValidationError(DeadlinePassed(campaign, "filing", "6").message)
        # The opening day is the Ministry's choice (the Rules set none): no point of them is cited.
        raise forms.ValidationError(_("Filing for %(campaign)s opens on %(day)s.")
                                    % {"campaign": campaign, "day": date_format(campaign.filing_opens, "j E Y")})


class ApplicationForm(forms.ModelForm):
    revision = portal.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = ["current_year_count", "justification", "signer_position", "signer_name"]
        formfield_callback = portal.formfield
        widgets = {
            "current_year_count": forms.NumberInput(attrs={"min": 0, "step": 1}),
            "justification": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "current_year_count": _("Annex 1, column 2: foreign workers you attract in the current year."),
            "justification": _("Name the projects, contracts and agreements (works, services, production of "
                               "goods) the workers are needed for (Rules p.6)."),
        }


class LineForm(forms.Form):
    # Short labels fit the table's select; the full names are on the review page and the PDF.
    category = forms.ChoiceField(label=_("Category"), choices=[
        ("", "—"), ("1", _("1 — Heads and deputies")), ("2", _("2 — Heads of divisions")),
        ("3", _("3 — Specialists")), ("4", _("4 — Qualified workers")), ("S", _("S — Seasonal workers"))])
    occupation = portal.CharField(label=_("Occupation"), max_length=400,
                                  widget=forms.TextInput(attrs={"class": "qp-occupation", "autocomplete": "off",
                                                                "placeholder": _("code or title")}))
    specialty = portal.CharField(label=_("Specialty"), max_length=200, required=False)
    count = portal.CharField(label=_("Number"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "qp-num"}))


class BaseLineFormSet(forms.BaseFormSet):
    keep_occupations: frozenset[int] = frozenset()  # the application's own, kept if no longer offered

    def clean(self):
        # The rows whose fields are valid are checked too, so that every row's errors show at once.
        rows, forms_by_row = [], {}
        for i, form in enumerate(self.forms):
            if form.errors or not form.has_changed() or self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            d = form.cleaned_data
            rows.append(LineInput(category=d["category"], occupation_code=d["occupation"], count=d["count"],
                                  specialty=d.get("specialty", ""), row=i + 1))
            forms_by_row[i + 1] = form
        checked = check_lines(rows, keep=self.keep_occupations)
        for problem in checked.problems:
            forms_by_row[problem.row].add_error(problem.field or None, problem.message)
        self.lines = checked.lines


# absolute_max: a crafted TOTAL_FORMS never makes the server build more forms than may be sent.
LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=1, can_delete=True, max_num=500,
                                    absolute_max=500, validate_max=True)


class ProjectForm(forms.Form):
    name = portal.CharField(label=_("Project, contract or agreement"), max_length=300)
    number = portal.CharField(label=_("Document number"), max_length=100, required=False)
    # An <input type="date"> takes only ISO dates: a localized value (27.06.2026) would be dropped on re-save.
    date = forms.DateField(label=_("Date"), required=False,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    counterparty = portal.CharField(label=_("Counterparty"), max_length=300, required=False)


ProjectFormSet = forms.formset_factory(ProjectForm, extra=1, can_delete=True, max_num=100, absolute_max=100,
                                       validate_max=True)


class WithdrawForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput)
    reason = portal.CharField(label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


class SubmitForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput)
    # Its text is stored in the submitted version's snapshot (services.application_submit).
    declaration = forms.BooleanField(label=DECLARATION, required=True, error_messages={
        "required": _("Tick the declaration to submit the application.")})


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG, PNG, XLSX or DOCX, up to 10 MB)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        try:
            uploads.check_name_characters(f.name)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="unsafe_name") from None
        return f


class LinesUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled template (XLSX)"))


class CopyForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Copy into the application for"),
                                       empty_label=None)

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
