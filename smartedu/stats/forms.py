"""The dashboards' filter forms (GET): periods, sub-platform and, for the ministry, a province.

The period rule is ``periods.period_validate``, the same one the API's serializers call.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smartedu.accounts.models import Province
from smartedu.stats import registry
from smartedu.stats.periods import Period, default_period, period_validate, today


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _platform_choices() -> list[tuple[str, Any]]:
    return [("", _("All sub-platforms"))] + [
        (k, registry.platform_label(k)) for k in registry.platform_keys()
    ]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    platform = forms.ChoiceField(label=_("Sub-platform"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(
        self, *args: Any, province_choice: bool = True, platform_choice: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        default = default_period()
        self.fields["start"].initial, self.fields["end"].initial = default.start, default.end
        if platform_choice:
            self.fields["platform"].choices = _platform_choices()  # type: ignore[attr-defined]
        else:
            del self.fields["platform"]
        if province_choice:
            self.fields["province"].choices = [  # type: ignore[attr-defined]
                ("", _("All provinces")),
                *list(Province.objects.values_list("code", "name")),
            ]
        else:
            del self.fields["province"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "start" in self.errors or "end" in self.errors:
            return data
        try:
            data["period"] = period_validate(start=data.get("start"), end=data.get("end"))
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def period(self) -> Period:
        """The period asked for; the default one when the form is not valid."""
        return self.cleaned_data["period"] if self.is_valid() else default_period()

    def choice(self, name: str) -> str | None:
        """A valid choice of ``platform`` or ``province``; None for all (or an invalid form)."""
        if not self.is_valid() or name not in self.fields:
            return None
        return self.cleaned_data.get(name) or None


def default_comparison() -> tuple[Period, Period]:
    """B: the last 14 days up to yesterday; A: the 14 days before them."""
    yesterday = today() - timedelta(days=1)
    b = Period(yesterday - timedelta(days=13), yesterday)
    a = Period(b.start - timedelta(days=14), b.start - timedelta(days=1))
    return a, b


class CompareForm(forms.Form):
    a_start = forms.DateField(label=_("Period A from"), required=False, widget=DateInput())
    a_end = forms.DateField(label=_("Period A to"), required=False, widget=DateInput())
    b_start = forms.DateField(label=_("Period B from"), required=False, widget=DateInput())
    b_end = forms.DateField(label=_("Period B to"), required=False, widget=DateInput())
    platform = forms.ChoiceField(label=_("Sub-platform"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = _platform_choices()  # type: ignore[attr-defined]
        a, b = default_comparison()
        for name, period in (("a", a), ("b", b)):
            self.fields[f"{name}_start"].initial = period.start
            self.fields[f"{name}_end"].initial = period.end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        defaults = dict(zip(("a", "b"), default_comparison(), strict=True))
        for name, default in defaults.items():
            start_field, end_field = f"{name}_start", f"{name}_end"
            if start_field in self.errors or end_field in self.errors:
                continue
            try:
                data[name] = period_validate(
                    start=data.get(start_field),
                    end=data.get(end_field),
                    default=default,
                    start_field=start_field,
                    end_field=end_field,
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    def periods(self) -> tuple[Period, Period]:
        if self.is_valid():
            return self.cleaned_data["a"], self.cleaned_data["b"]
        return default_comparison()
