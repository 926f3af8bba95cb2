"""HTML forms of the employment pages; they validate input and the views call one service each."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from employment import rules, selectors
from employment.models import (
    Degree,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    Industry,
    JobType,
    ResumeSection,
)
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution, InstitutionKind


class VerifyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), min_length=18, max_length=18)
    university = forms.ModelChoiceField(
        label=_("University"),
        queryset=Institution.objects.filter(kind=InstitutionKind.UNIVERSITY).order_by(
            "province__code", "name"
        ),
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=60)
    degree = forms.ChoiceField(label=_("Degree"), choices=Degree.choices)
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=1950, max_value=2100)

    def clean_id_number(self) -> str:
        value = rules.id_number_normalise(self.cleaned_data["id_number"])
        if not rules.id_number_valid(value):
            raise forms.ValidationError(_("The ID number's check digit is wrong."))
        return value


class IntentionForm(forms.Form):
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries"),
        queryset=Industry.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"),
        queryset=Province.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cities = forms.CharField(
        label=_("Cities"), max_length=200, required=False, help_text=_("Separated by commas.")
    )
    positions = forms.CharField(
        label=_("Positions"), max_length=200, required=False, help_text=_("Separated by commas.")
    )
    salary_min = forms.IntegerField(label=_("Minimum monthly salary"), min_value=0, required=False)
    salary_max = forms.IntegerField(label=_("Maximum monthly salary"), min_value=0, required=False)
    job_type = forms.ChoiceField(label=_("Job type"), choices=JobType.choices)
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_min", _("The minimum salary is above the maximum."))
        return data


class ResumeForm(forms.Form):
    headline = forms.CharField(label=_("Headline"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    skills = forms.CharField(label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    certificates = forms.CharField(
        label=_("Certificates"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    awards = forms.CharField(label=_("Awards"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResumeEntryForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=ResumeSection.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("Attachment (PDF)"))


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), min_length=18, max_length=18)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all())
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())
    city = forms.CharField(label=_("City"), max_length=40, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=EmployerSize.choices)
    type = forms.ChoiceField(label=_("Type"), choices=EmployerType.choices)
    description = forms.CharField(label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    licence = forms.FileField(label=_("Business licence (PDF or image)"))

    def clean_credit_code(self) -> str:
        value = rules.credit_code_normalise(self.cleaned_data["credit_code"])
        if not rules.credit_code_valid(value):
            raise forms.ValidationError(_("The unified social credit code's check character is wrong."))
        return value


class JobForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all())
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())
    city = forms.CharField(label=_("City"), max_length=40)
    education = forms.ChoiceField(label=_("Minimum education"), choices=Degree.choices)
    specialty_class = forms.ChoiceField(label=_("Specialty class"), required=False)
    job_type = forms.ChoiceField(label=_("Job type"), choices=JobType.choices)
    salary_min = forms.IntegerField(label=_("Minimum monthly salary"), min_value=0)
    salary_max = forms.IntegerField(label=_("Maximum monthly salary"), min_value=0)
    headcount = forms.IntegerField(label=_("Openings"), min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["specialty_class"]).choices = [
            ("", "—"),
            *selectors.specialty_class_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_min", _("The minimum salary is above the maximum."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(EmployerStatus.VERIFIED, _("Verify")), (EmployerStatus.REJECTED, _("Reject"))],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RegistryImportForm(forms.Form):
    file = forms.FileField(label=_("Registry CSV (UTF-8)"))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
