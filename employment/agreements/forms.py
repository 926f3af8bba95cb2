from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employment.agreements import services


class TermsForm(forms.Form):
    position = forms.CharField(label=_("Position"), max_length=100)
    place = forms.CharField(label=_("Place of work"), max_length=100)
    salary = forms.IntegerField(label=_("Monthly salary (yuan)"), min_value=1, max_value=services.MAX_SALARY)
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=services.MAX_TERM_MONTHS
    )
    probation_months = forms.IntegerField(
        label=_("Probation (months)"), min_value=0, max_value=services.MAX_PROBATION_MONTHS
    )
    clauses = forms.CharField(
        label=_("Clauses"), max_length=services.MAX_CLAUSES, widget=forms.Textarea(attrs={"rows": 10})
    )
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def terms(self) -> services.Terms:
        data = self.cleaned_data
        return services.Terms(
            position=data["position"],
            place=data["place"],
            salary=data["salary"],
            term_months=data["term_months"],
            probation_months=data["probation_months"],
            clauses=data["clauses"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
