"""The dashboards' filter forms (GET): periods, sub-platform and, for the ministry, a province."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from smartedu.accounts.models import Province
from smartedu.stats import registry, selectors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _platform_choices() -> list[tuple[str, str]]:
    return [("", _("All sub-platforms"))] + [
        (k, registry.platform_label(k)) for k in registry.platform_keys()
    ]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    platform = forms.ChoiceField(label=_("Sub-platform"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, province_choice: bool = True, platform_choice: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        default = selectors.default_period()
        self.fields["start"].initial, self.fields["end"].initial = default.start, default.end
        if platform_choice:
            self.fields["platform"].choices = _platform_choices()
        else:
            del self.fields["platform"]
        if province_choice:
            self.fields["province"].choices = [
                ("", _("All provinces")),
                *list(Province.objects.values_list("code", "name")),
            ]
        else:
            del self.fields["province"]

    def clean(self):
        data = super().clean()
        default = selectors.default_period()
        end = data.get("end") or default.end
        start = data.get("start") or end - timedelta(days=selectors.DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", _("The end must not come before the start."))
        elif (end - start).days >= selectors.MAX_DAYS:
            self.add_error("start", _("A period may span at most ten years."))
        else:
            data["period"] = selectors.Period(start, end)
        return data


def default_comparison() -> tuple[selectors.Period, selectors.Period]:
    """B: the last 14 days up to yesterday; A: the 14 days before them."""
    yesterday = selectors.today() - timedelta(days=1)
    b = selectors.Period(yesterday - timedelta(days=13), yesterday)
    a = selectors.Period(b.start - timedelta(days=14), b.start - timedelta(days=1))
    return a, b


class CompareForm(forms.Form):
    a_start = forms.DateField(label=_("Period A from"), required=False, widget=DateInput())
    a_end = forms.DateField(label=_("Period A to"), required=False, widget=DateInput())
    b_start = forms.DateField(label=_("Period B from"), required=False, widget=DateInput())
    b_end = forms.DateField(label=_("Period B to"), required=False, widget=DateInput())
    platform = forms.ChoiceField(label=_("Sub-platform"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = _platform_choices()
        a, b = default_comparison()
        for name, period in (("a", a), ("b", b)):
            self.fields[f"{name}_start"].initial = period.start
            self.fields[f"{name}_end"].initial = period.end

    def clean(self):
        data = super().clean()
        default_a, default_b = default_comparison()
        periods = {}
        for name, default in (("a", default_a), ("b", default_b)):
            start = data.get(f"{name}_start") or default.start
            end = data.get(f"{name}_end") or default.end
            if start > end:
                self.add_error(f"{name}_end", _("The end must not come before the start."))
            elif (end - start).days >= selectors.MAX_DAYS:
                self.add_error(f"{name}_start", _("A period may span at most ten years."))
            else:
                periods[name] = selectors.Period(start, end)
        if len(periods) == 2:
            data["a"], data["b"] = periods["a"], periods["b"]
        return data
