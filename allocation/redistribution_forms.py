"""Forms of redistribution requests (Rules p.21) and of permits used (p.5): they validate and lay out;
the services decide. A refused submission re-renders the form with what the user typed.

An akimat officer chooses a direction: give (from its own region to another) or receive (into its own
region, from another region or from the national reserve). A central-body officer names both ends.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quota_portal.core import fields as portal
from quota_portal.core.models import Campaign, Category, Region

from .quota_models import MAX_QUOTA, MAX_TEXT
from .redistribution_use import MAX_IMPORT_SIZE, MAX_REFERENCE

GIVE, RECEIVE = "give", "receive"
RESERVE = "reserve"


def category_choices():
    return [("", "—"), *Category.choices]


class RedistributionForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Quota year"), empty_label=None)
    direction = forms.ChoiceField(label=_("The akimat asks to"), widget=forms.RadioSelect, initial=RECEIVE,
                                  choices=[(RECEIVE, _("receive quota for its region")),
                                           (GIVE, _("give part of its region's quota"))])
    other_region = forms.ChoiceField(label=_("From or to which region"),
                                     help_text=_("Receiving: a region that gives, or the national reserve. "
                                                 "Giving: the region that receives."))
    from_region = forms.ChoiceField(label=_("From"))
    to_region = portal.ModelChoiceField(Region.objects.all(), label=_("To region"))
    category = forms.ChoiceField(label=_("Category"), choices=category_choices)
    count = portal.IntegerField(label=_("Number of permits"), min_value=1, max_value=MAX_QUOTA,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "qp-num"}))
    reason = portal.CharField(label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Why the quota should move: projects, employers' need, what is unused."))

    def __init__(self, *args, campaigns=(), own_region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_region = own_region
        self.fields["campaign"].queryset = Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).order_by("-year")
        regions = [(str(r.pk), str(r)) for r in Region.objects.order_by("name_ru")]
        reserve = (RESERVE, _("National reserve"))
        if own_region is not None:  # an akimat: direction + the other end
            del self.fields["from_region"], self.fields["to_region"]
            self.fields["other_region"].choices = [("", "—"), reserve,
                                                   *[c for c in regions if c[0] != str(own_region.pk)]]
        else:  # a central body: both ends
            del self.fields["direction"], self.fields["other_region"]
            self.fields["from_region"].choices = [("", "—"), reserve, *regions]
            self.fields["to_region"].queryset = Region.objects.order_by("name_ru")

    def _region(self, value) -> Region | None:
        return None if value == RESERVE else Region.objects.get(pk=value)

    def clean(self):
        data = super().clean()
        if self.own_region is not None and data.get("direction") == GIVE and data.get("other_region") == RESERVE:
            self.add_error("other_region", _("The akimat gives to a region; the reserve is the Ministry's."))
        return data

    def move(self) -> tuple[Region | None, Region]:
        d = self.cleaned_data
        if self.own_region is None:
            return self._region(d["from_region"]), d["to_region"]
        other = self._region(d["other_region"])
        if d["direction"] == GIVE:
            return self.own_region, other
        return other, self.own_region


class RevisionForm(forms.Form):
    revision = portal.IntegerField(widget=forms.HiddenInput, min_value=0)


class DeclineForm(RevisionForm):
    reason = portal.CharField(label=_("Reason for declining"), max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))


class PermitForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Quota year"), empty_label=None)
    category = forms.ChoiceField(label=_("Category"), choices=category_choices)
    count = portal.IntegerField(label=_("Number of permits"), min_value=1, max_value=MAX_QUOTA,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "qp-num"}))
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("Enter a date as DD.MM.YYYY.")})
    reference = portal.CharField(label=_("Reference"), max_length=MAX_REFERENCE, required=False,
                                 help_text=_("Permit numbers or the register entry, to find them again."))

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).order_by("-year")


class PermitImportForm(forms.Form):
    campaign = portal.ModelChoiceField(Campaign.objects.none(), label=_("Quota year"), empty_label=None)
    file = forms.FileField(label=_("XLSX file"), help_text=_("Columns: category, number of permits, issued on, "
                                                             "reference; the first row holds the headers."))

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).order_by("-year")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_SIZE:
            raise forms.ValidationError(_("The file is larger than %(max)s MB.") % {"max": MAX_IMPORT_SIZE // 2**20})
        return file
