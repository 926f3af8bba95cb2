"""Forms of the employment front's pages (the API has its own serializers; both call the same services)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from employment.front import access
from employment.front.models import AudienceKind, FieldKind, Survey
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution, InstitutionKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def one_time_token() -> str:
    """A token the form carries so that a double submission acts once (services dedupe on it)."""
    return uuid.uuid4().hex


class DirectiveForm(forms.Form):
    client_token = forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False, initial=one_time_token
    )
    title = forms.CharField(label=pgettext_lazy("employment front", "Title"), max_length=120)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    urgent = forms.BooleanField(label=_("Urgent: recipients must acknowledge it"), required=False)
    audience = forms.ChoiceField(label=_("Send to"), choices=AudienceKind.choices, widget=forms.RadioSelect)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("Not chosen")
    )
    university = forms.ModelChoiceField(
        label=_("University"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("Not chosen"),
    )
    attachments = MultipleFileField(label=_("Attachments (PDF, PNG or JPEG, up to 5)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = None if access.is_ministry_admin(user) else user.scope_province_id
        provinces = Province.objects.all()
        universities = Institution.objects.filter(kind=InstitutionKind.UNIVERSITY).select_related("province")
        if scope is not None:
            provinces = provinces.filter(pk=scope)
            universities = universities.filter(province_id=scope)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        self.fields["university"].queryset = universities  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        audience = cleaned.get("audience")
        if audience == AudienceKind.PROVINCE and not cleaned.get("province"):
            self.add_error("province", _("Choose a province."))
        if audience == AudienceKind.UNIVERSITY and not cleaned.get("university"):
            self.add_error("university", _("Choose a university."))
        return cleaned


class SupportForm(forms.Form):
    needs_help = forms.BooleanField(label=_("Needs help"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SurveyForm(forms.Form):
    client_token = forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False, initial=one_time_token
    )
    title = forms.CharField(label=pgettext_lazy("employment front", "Title"), max_length=120)
    description = forms.CharField(
        label=_("What you ask and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


class SurveyFieldForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices, initial=FieldKind.INTEGER)
    choices = forms.CharField(
        label=_("Options (for a choice; separated by commas)"), max_length=1000, required=False
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


SurveyFieldFormSet = forms.formset_factory(SurveyFieldForm, extra=5, max_num=20)


class CounsellorAssignForm(forms.Form):
    specialty = forms.CharField(label=_("Specialty"), max_length=60)
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=2000, max_value=2100)


def answer_form(survey: Survey, *, data: Any = None, initial: dict[str, Any] | None = None) -> forms.Form:
    """A form with one typed field per survey field (named by its key, ``f<id>``)."""
    form = forms.Form(data=data, initial=initial or {})
    for item in survey.fields.all():
        if item.kind == FieldKind.INTEGER:
            form.fields[item.key] = forms.IntegerField(
                label=item.label, required=item.required, min_value=0, max_value=10_000_000
            )
        elif item.kind == FieldKind.CHOICE:
            form.fields[item.key] = forms.ChoiceField(
                label=item.label,
                required=item.required,
                choices=[("", "—"), *((c, c) for c in item.choices)],
            )
        else:
            form.fields[item.key] = forms.CharField(
                label=item.label,
                required=item.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
    return form
