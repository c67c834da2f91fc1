"""Forms of the shared pages: login, password reset, the Ministry's reference data."""
from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import fields as portal
from .errors import DomainError
from .links import absolute_url
from .models import DEADLINES, CalendarException, Campaign, Country, DeadlineKind
from .services import CAMPAIGN_FIELDS


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form that was submitted: on the field it names when the form
    has that field, else above the form. The form keeps what the user typed (every view that
    passes a form's data to a service uses this). FieldErrors puts every error it carries."""
    for field, message in getattr(error, "errors", None) or [(error.field, error.message)]:
        form.add_error(field if field in form.fields else None, message)


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    username = portal.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True,
                                                                                  "autocomplete": "email"}))
    error_messages = {
        "invalid_login": _("Wrong email or password. After 5 failed attempts the login is locked for 15 minutes."),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self):
        # Emails are stored in lower case; `Employer2@Demo.kz` is the same person.
        return self.cleaned_data["username"].strip().lower()


def login_email(request, credentials=None) -> str:
    """The key of the failed-login lock (AXES_USERNAME_CALLABLE): the email in lower case, so that
    varying the capitalisation neither dodges the lock nor starts a new count."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = getattr(request, "POST", {}).get("username", "")
    return (raw or "").strip().lower()


class PortalPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with the portal's labels and help: Django's Kazakh catalogue leaves the
    confirmation's help text in Russian and spells "password" two ways."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = _("Type the new password once more.")


class LocalizedPasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset link in the recipient's own interface language, on the portal's address."""

    email = portal.EmailField(label=_("Email"),
                              widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        context["reset_link"] = absolute_url(reverse("password_reset_confirm",
                                                     kwargs={"uidb64": context["uid"], "token": context["token"]}))
        with translation.override(context["user"].language or "ru"):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        formfield_callback = portal.formfield
        fields = CAMPAIGN_FIELDS
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in CAMPAIGN_FIELDS if f.endswith("_deadline") or f == "filing_opens"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing_opens"].help_text = _("The Ministry's choice: the Rules set no opening date (p.6 sets "
                                                  "only the end of filing).")
        rows = [Row(Column("filing_opens", css_class="col-md-6"))]
        for name, point, _kind, label in DEADLINES:
            self.fields[f"{name}_deadline"].label = _("%(label)s, Rules p.%(point)s") % {"label": label, "point": point}
            self.fields[f"{name}_deadline_kind"].label = _("Deadline kind")
            self.fields[f"{name}_deadline_kind"].choices = DeadlineKind.choices
            rows.append(Row(Column(f"{name}_deadline", css_class="col-md-6"),
                            Column(f"{name}_deadline_kind", css_class="col-md-6")))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Deadlines (Asia/Almaty time)"), *rows),
            Fieldset(_("Working-day periods"), Row(Column("notice_working_days", css_class="col-md-6"),
                                                     Column("publication_working_days", css_class="col-md-6"))),
            Submit("save", _("Save")),
        )


class CalendarExceptionForm(forms.ModelForm):
    class Meta:
        model = CalendarException
        formfield_callback = portal.formfield
        fields = ["day", "is_working_day", "reason"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"is_working_day": _("Ticked: a weekend day made working. Unticked: an extra day off.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("day", css_class="col-md-3"), Column("reason", css_class="col-md-6"),
                Column("is_working_day", css_class="col-md-3 pt-md-4")),
            Submit("add", _("Add exception")),
        )

    def validate_unique(self):
        pass  # the service reports a duplicate day with its own message


class CountryTreatyForm(forms.ModelForm):
    class Meta:
        model = Country
        formfield_callback = portal.formfield
        fields = ["has_ratified_treaty", "treaty_reference", "treaty_ratified_on"]
        widgets = {"treaty_ratified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"treaty_reference": _("The treaty on labour migration and the law that ratified it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class CampaignOpenForm(forms.Form):
    year = portal.IntegerField(label=_("Quota year"), min_value=2024, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("ministry_campaign_open")
        self.helper.layout = Layout(Row(Column("year", css_class="col-sm-4"),
                                        Column(Submit("open", _("Open the campaign")), css_class="col-sm-8 pt-sm-4")))



class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", re.ASCII)


class LocalDateTimeField(forms.DateTimeField):
    """A moment typed as 2026-10-01 09:30 (the browser's datetime-local) with the digits 0-9 only:
    Python's own parser would read "٢٠٢٦" as 2026."""

    default_error_messages = {"invalid": _("Enter the date and time as YYYY-MM-DD HH:MM, with digits 0-9.")}  # noqa: RUF012

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _DATETIME.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class OutageForm(forms.Form):
    """The Ministry records an outage window (Asia/Almaty time)."""

    started_at = LocalDateTimeField(label=_("Outage started"), widget=_LocalDateTimeInput())
    ended_at = LocalDateTimeField(label=_("Outage ended"), required=False, widget=_LocalDateTimeInput(),
                                   help_text=_("Leave empty while the outage lasts."))
    note = portal.CharField(label=_("What was unavailable, and how it is known"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("ministry_outage_record")
        self.helper.layout = Layout(
            Row(Column("started_at", css_class="col-md-3"), Column("ended_at", css_class="col-md-3"),
                Column("note", css_class="col-md-6")),
            Submit("record", _("Record the outage")),
        )


class ExtensionForm(forms.Form):
    """Extend, in one action, the deadlines an outage affected (ops_services.deadline_extend)."""

    deadlines = forms.MultipleChoiceField(label=_("Deadlines to extend"), widget=forms.CheckboxSelectMultiple,
                                          error_messages={"invalid_choice": _("Choose among the deadlines listed.")})
    working_days = portal.IntegerField(label=_("Extend by, working days"), min_value=1, max_value=30)
    reason = portal.CharField(label=_("Reason (shown with the deadline)"), max_length=1000)

    def __init__(self, *args, outage, choices, **kwargs):
        kwargs.setdefault("prefix", f"outage{outage.pk}")
        super().__init__(*args, **kwargs)
        self.fields["deadlines"].choices = choices
        if not self.is_bound:
            self.initial["deadlines"] = [key for key, _label in choices]
        self.helper = FormHelper()
        self.helper.form_action = reverse("ministry_outage_extend", args=[outage.pk])
        self.helper.layout = Layout(
            "deadlines",
            Row(Column("working_days", css_class="col-md-3"), Column("reason", css_class="col-md-9")),
            Submit("extend", _("Extend the chosen deadlines")),
        )
