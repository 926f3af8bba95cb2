from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from k12.models import Question, QuestionKind

TRUE_FALSE_CHOICES = [("true", _("True")), ("false", _("False"))]


class ExerciseForm(forms.Form):
    """One field per question of a lesson (``q<id>``): radio buttons for choices, a text box for blanks."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            label = f"{number}. {question.prompt}"
            field: forms.Field
            if question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(o["key"], f"{o['key']}. {o['text']}") for o in question.options],
                    widget=forms.RadioSelect,
                )
            elif question.kind == QuestionKind.TRUE_FALSE:
                field = forms.ChoiceField(label=label, choices=TRUE_FALSE_CHOICES, widget=forms.RadioSelect)
            else:
                field = forms.CharField(label=label, max_length=200)
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, str]:
        return {question.pk: self.cleaned_data[f"q{question.pk}"] for question in self.questions}
