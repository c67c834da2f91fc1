"""Forms of the employer accounts pages (sign-up, organization, members, invitations)."""
from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import fields as portal
from .models import Invitation, Organization, Region, Role
from .validators import validate_bin_iin


class PasswordPairMixin:
    # The address the account has when the form has no email field (an invitation's, a sign-up's).
    email_for_password = ""

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ; type the same password twice."))
        elif p1:
            try:
                # An unsaved user carrying the email and name typed: the similarity rule compares with them.
                from .models import User

                validate_password(p1, User(email=data.get("email") or self.email_for_password,
                                           full_name=data.get("full_name") or ""))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _new_password_fields():
    """The pair of new-password fields, the password rules shown before the first attempt."""
    attrs = {"autocomplete": "new-password"}
    # Lazy: built in the reader's language at each render, not once in the language active at import.
    return (forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs=attrs), strip=False,
                            help_text=lazy(password_validators_help_text_html, str)()),
            forms.CharField(label=_("Password again"), widget=forms.PasswordInput(attrs=attrs), strip=False))


def _full_name_field():
    return portal.CharField(label=_("Full name"), max_length=200,
                            widget=forms.TextInput(attrs={"autocomplete": "name"}))


class SignupForm(PasswordPairMixin, forms.Form):
    email = portal.EmailField(label=_("Email"), help_text=_("We send a confirmation link to this address."),
                              widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = _full_name_field()
    password1, password2 = _new_password_fields()


class InvitedSignupForm(PasswordPairMixin, forms.Form):
    full_name = _full_name_field()
    password1, password2 = _new_password_fields()


class ConfirmAccountForm(forms.Form):
    """The password typed at sign-up: a confirmation link activates only the password its opener
    chose (the link reaches the mailbox, whoever signed up with the address)."""

    password = forms.CharField(label=_("The password you chose when signing up"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "autofocus": True}))


class ChoosePasswordForm(PasswordPairMixin, forms.Form):
    """The password of an account confirmed by a repeated sign-up's link."""

    password1, password2 = _new_password_fields()


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    bin_iin = portal.BinIinField(label=_("BIN/IIN"), validators=[validate_bin_iin],
                               help_text=_("12 digits: BIN for a legal entity, IIN for a natural person."))
    name = portal.CharField(label=_("Full name of the organization"), max_length=300,
                            widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    legal_address = portal.CharField(label=_("Legal address"), max_length=500,
                                     widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    region = portal.ModelChoiceField(Region.objects.all(), label=_("Region of registration"))

    def clean_bin_iin(self):
        return self.cleaned_data["bin_iin"].strip()


class InviteForm(forms.Form):
    email = portal.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.InvitedRole.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[(Role.EMPLOYER_OWNER, Role.EMPLOYER_OWNER.label),
                                                       (Role.EMPLOYER_EDITOR, Role.EMPLOYER_EDITOR.label),
                                                       (Role.EMPLOYER_VIEWER, Role.EMPLOYER_VIEWER.label)])
