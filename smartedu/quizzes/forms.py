"""The no-JavaScript quiz form: one field per question (``q<id>``); the services grade."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartedu.quizzes import grading
from smartedu.quizzes.models import Question

TRUE_FALSE_CHOICES = [
    ("true", pgettext_lazy("true-or-false answer", "True")),
    ("false", pgettext_lazy("true-or-false answer", "False")),
]


class QuizForm(forms.Form):
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    next = forms.CharField(widget=forms.HiddenInput, max_length=500, required=False)

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no ASCII colon after Chinese labels
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.prompt}"
            field: forms.Field
            if question.kind == grading.SINGLE:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(o["key"], f"{o['key']}. {o['text']}") for o in question.options],
                    widget=forms.RadioSelect,
                )
            elif question.kind == grading.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=[(o["key"], f"{o['key']}. {o['text']}") for o in question.options],
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose every right answer."),
                )
            elif question.kind == grading.TRUE_FALSE:
                field = forms.ChoiceField(label=label, choices=TRUE_FALSE_CHOICES, widget=forms.RadioSelect)
            else:
                field = forms.CharField(label=label, max_length=grading.MAX_ANSWER_LENGTH)
            self.fields[f"q{question.pk}"] = field

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{question.pk}"] for question in self.questions]

    def answers(self) -> dict[int, str]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data[f"q{question.pk}"]
            answers[question.pk] = ",".join(value) if isinstance(value, list) else value
        return answers


class ReviewForm(forms.Form):
    """Start a review of the wrong-answer book: all of it, or the ticked questions."""

    questions = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, question_ids: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(pk, pk) for pk in question_ids]  # type: ignore[attr-defined]
