from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from higher_ed.models import CourseRun, CourseUnit, Platform


class EnrolForm(forms.Form):
    run = forms.ModelChoiceField(label=_("Run"), queryset=CourseRun.objects.none())

    def __init__(self, *args: Any, runs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=CourseUnit.objects.none(), widget=forms.HiddenInput
    )
    video_percent = forms.IntegerField(label=_("Video watched (%)"), min_value=0, max_value=100)
    quizzes_done = forms.IntegerField(label=_("Quizzes done"), min_value=0, max_value=1000, initial=0)
    quiz_score = forms.IntegerField(label=_("Quiz score"), min_value=0, max_value=100, required=False)

    def __init__(self, *args: Any, course_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = CourseUnit.objects.filter(course_id=course_id)  # type: ignore[attr-defined]


class PlatformSwitchForm(forms.Form):
    platform = forms.ModelChoiceField(queryset=Platform.objects.all(), widget=forms.HiddenInput)
    enabled = forms.TypedChoiceField(
        choices=[("1", _("Switch on")), ("0", _("Switch off"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"size": 40}))
