"""The form fields every portal form uses for numbers, object choices and text.

Django's `forms.IntegerField` converts with `int()`, which takes "٣" (Arabic-Indic three), "１"
(fullwidth one), "3_0" (as 30) and "+3": the portal refuses every number not typed with the digits
0-9, with one translated message. Its `CharField` keeps invisible control characters, which an
XLSX cannot hold (the export would fail) and no person means to type. ModelForms get the same
fields through `formfield` (`Meta.formfield_callback`); tests/core/test_parsing.py checks
that no form of the project uses Django's plain fields.
"""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .parsing import ASCII_SPACE, INTEGER, MAX_BIGINT, clean_text, parse_id, parse_int

DIGITS_ONLY = _("Enter the number with digits 0-9.")
_LINE_BREAKS = re.compile(r"[\r\n]+")


class IntegerField(forms.IntegerField):
    """A whole number typed with 0-9 (surrounding spaces allowed); "-" only where negatives are."""

    default_error_messages = {"invalid": DIGITS_ONLY}  # noqa: RUF012 - Django merges it up the MRO

    def to_python(self, value):
        if value in self.empty_values:
            return None
        negatives = self.min_value is None or self.min_value < 0
        number = parse_int(value if isinstance(value, int) else str(value),
                           min_value=-MAX_BIGINT if negatives else 0, max_value=MAX_BIGINT)
        if number is not None:
            return number
        match = INTEGER.fullmatch(str(value).strip(ASCII_SPACE))
        if match and (negatives or not match.group(1)):
            # Digits 0-9, but beyond any database column: say what the limit is.
            if match.group(1):
                MinValueValidator(self.min_value if self.min_value is not None else -MAX_BIGINT)(-MAX_BIGINT - 1)
            MaxValueValidator(self.max_value if self.max_value is not None else MAX_BIGINT)(MAX_BIGINT + 1)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CharField(forms.CharField):
    """Text without the invisible C0 control characters (tab, CR and LF are kept in a text area;
    a one-line field turns line breaks into spaces: a name with a line break in it would break
    the header of an email it goes into).

    NUL is not removed: Django's validator refuses it with an error (and the middleware refuses a
    request carrying it before any form sees it).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str):
            return value
        value = clean_text(value)
        if not isinstance(self.widget, forms.Textarea):
            value = _LINE_BREAKS.sub(" ", value).strip() if self.strip else _LINE_BREAKS.sub(" ", value)
        return value


class BinIinField(CharField):
    """A BIN/IIN as people type it: "180540 003215" or with non-breaking spaces is the 12 digits
    with the spaces taken out (the check digit is then validated as usual)."""

    def __init__(self, *, max_length=24, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if isinstance(value, str) else value


class EmailField(forms.EmailField):
    """An email address as long as the portal can store it: 254 characters (RFC 5321's limit and
    the length of every email column; Django's form field alone takes up to 320, and a longer
    address answered 500 when it reached the users', the invitations' or django-axes' table)."""

    def __init__(self, *, max_length=254, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


class ModelChoiceField(forms.ModelChoiceField):
    """A choice of object by its id: the id typed with 0-9, else "not one of the choices"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model) and self.to_field_name is None \
                and isinstance(self.queryset.model._meta.pk, models.IntegerField) and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": str(value)[:50]})
        return super().to_python(value)


# Model fields whose own formfield would be Django's plain IntegerField / CharField.
_INTEGER_FIELDS = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
                   models.PositiveIntegerField, models.PositiveBigIntegerField, models.PositiveSmallIntegerField)
_TEXT_FIELDS = (models.CharField, models.TextField)


def formfield(db_field, **kwargs):
    """`Meta.formfield_callback` of every ModelForm: the portal's fields instead of Django's."""
    if db_field.choices:
        return db_field.formfield(**kwargs)
    if type(db_field) in _INTEGER_FIELDS:
        return db_field.formfield(**{"form_class": IntegerField, **kwargs})
    if type(db_field) in _TEXT_FIELDS:
        return db_field.formfield(**{"form_class": CharField, **kwargs})
    if isinstance(db_field, models.ForeignKey):
        return db_field.formfield(**{"form_class": ModelChoiceField, **kwargs})
    return db_field.formfield(**kwargs)
