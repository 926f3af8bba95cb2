"""The organisers' fair form (the rules are the service's: this only parses)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employment.fairs.models import FairKind
from employment.models import Industry
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution, InstitutionKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FairForm(forms.Form):
    title = forms.CharField(label=_("Title of the fair"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of fair"), choices=FairKind.choices)
    sector = forms.CharField(label=_("Sector (sector fairs)"), max_length=40, required=False)
    industry = forms.ModelChoiceField(
        label=_("Industry section"), queryset=Industry.objects.all(), required=False
    )
    province = forms.ModelChoiceField(
        label=_("Host province (regional fairs)"), queryset=Province.objects.all(), required=False
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (Beijing time)"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (Beijing time)"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising universities"),
        queryset=Institution.objects.filter(kind=InstitutionKind.UNIVERSITY),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("About the fair"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
