from collections.abc import Sequence
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


# --- Teachers -----------------------------------------------------------------------------------


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class HomeworkForm(forms.Form):
    """Assign a lesson's exercises (all ticked, or some) to one of the teacher's classes, due at a time."""

    klass = forms.TypedChoiceField(label=_("Class"), coerce=int)
    due_at = forms.DateTimeField(label=_("Due"), widget=_LocalDateTimeInput(), help_text=_("Beijing time."))
    questions = forms.TypedMultipleChoiceField(
        label=_("Exercises"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)

    def __init__(
        self, *args: Any, classes: Sequence[Any], questions: Sequence[Question], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        klass_field = self.fields["klass"]
        question_field = self.fields["questions"]
        assert isinstance(klass_field, forms.TypedChoiceField)
        assert isinstance(question_field, forms.TypedMultipleChoiceField)
        klass_field.choices = [(c.pk, f"{c.name}{' · ' + c.label if c.label else ''}") for c in classes]
        question_field.choices = [(q.pk, f"{n}. {q.prompt}") for n, q in enumerate(questions, start=1)]
        if not self.is_bound:
            self.initial.setdefault("questions", [q.pk for q in questions])


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    klass = forms.TypedChoiceField(label=_("Class"), coerce=int, required=False, empty_value=None)
    period_at = forms.DateTimeField(label=_("Class period"), widget=_LocalDateTimeInput(), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=10_000
    )
    is_shared = forms.BooleanField(
        label=_("Share with colleagues of my school"),
        required=False,
        help_text=_("They may read and copy it."),
    )

    def __init__(self, *args: Any, classes: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["klass"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— none —")), *((c.pk, c.name) for c in classes)]


class PlanAddForm(forms.Form):
    """From a lesson page: add some of its hours and its e-textbook pages to one of the teacher's plans."""

    plan = forms.TypedChoiceField(label=_("Preparation plan"), coerce=int)
    hours = forms.TypedMultipleChoiceField(
        label=_("Lesson hours"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    pages = forms.BooleanField(label=_("The lesson's e-textbook pages"), required=False)

    def __init__(
        self, *args: Any, plans: Sequence[Any], hours: Sequence[Any], with_pages: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        plan_field = self.fields["plan"]
        hour_field = self.fields["hours"]
        assert isinstance(plan_field, forms.TypedChoiceField)
        assert isinstance(hour_field, forms.TypedMultipleChoiceField)
        plan_field.choices = [(p.pk, p.title) for p in plans]
        hour_field.choices = [(h.pk, h.title) for h in hours]
        if not with_pages:
            del self.fields["pages"]


class ItemNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
