"""The question engine in the admin: questions and quizzes are created and changed through the
services (shape validation, owner and window rules); attempts are records and read-only."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartedu.quizzes import grading, registry, services
from smartedu.quizzes.models import (
    Attempt,
    AttemptAnswer,
    KnowledgePoint,
    Purpose,
    Question,
    Quiz,
    QuizQuestion,
)


@admin.register(KnowledgePoint)
class KnowledgePointAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "platform"]
    list_filter = ["platform"]
    search_fields = ["name", "subject"]

    def save_model(
        self, request: HttpRequest, obj: KnowledgePoint, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.knowledge_point_get_or_create(
            platform=obj.platform, subject=obj.subject, name=obj.name
        )
        obj.pk = created.pk
        obj._state.adding = False


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["platform", "kind", "prompt", "options", "answer", "explanation", "knowledge_points"]
        help_texts = {
            "options": _(
                'Choice questions: [{"key": "A", "text": "…"}, {"key": "B", "text": "…"}]; others: [].'
            ),
            "answer": _(
                "Option key (B); keys separated by commas for multiple choice (A,C); true or false; "
                "accepted answers separated by | for fill-in."
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors = grading.question_shape_errors(
            kind=cleaned.get("kind", ""), options=cleaned.get("options", []), answer=cleaned.get("answer", "")
        )
        for name, messages_ in errors.items():
            self.add_error(name if name in self.fields else None, messages_)
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["__str__", "kind", "platform", "external_ref", "created_at"]
    list_filter = ["platform", "kind"]
    search_fields = ["prompt", "external_ref"]
    filter_horizontal = ["knowledge_points"]

    def save_model(self, request: HttpRequest, obj: Question, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.question_update(
                question=obj,
                kind=data["kind"],
                prompt=data["prompt"],
                options=data["options"],
                answer=data["answer"],
                explanation=data["explanation"],
                knowledge_points=data["knowledge_points"],
            )
        else:
            created = services.question_create(
                platform=data["platform"],
                kind=data["kind"],
                prompt=data["prompt"],
                options=data["options"],
                answer=data["answer"],
                explanation=data["explanation"],
                knowledge_points=data["knowledge_points"],
                created_by=request.user,  # type: ignore[arg-type]
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """The services set the knowledge points."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    fields = ["order", "question"]
    readonly_fields = ["order", "question"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QuizAdminForm(forms.ModelForm):
    owner = forms.CharField(label=_("owner"), help_text=_("app.model:id, e.g. vocational.resource:9"))
    question_ids = forms.CharField(
        label=_("questions"), help_text=_("Question ids in order, separated by commas."), required=False
    )

    class Meta:
        model = Quiz
        fields = ["title", "purpose", "klass", "opens_at", "closes_at", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["owner"].initial = self.instance.owner_ref
            self.fields["owner"].disabled = True
            self.fields["purpose"].disabled = True
            self.fields["klass"].disabled = True
            self.fields["question_ids"].disabled = True
            self.fields["question_ids"].initial = json.dumps(
                list(self.instance.quiz_questions.values_list("question_id", flat=True))
            )
        else:
            self.fields["purpose"].choices = [  # type: ignore[attr-defined]
                c for c in Purpose.choices if c[0] != Purpose.REVIEW
            ]

    def clean_owner(self) -> str:
        value = self.cleaned_data["owner"]
        try:
            kind, _owner_id = registry.owner_ref_parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if registry.quiz_owner(kind) is None:
            raise ValidationError(_("No app has registered this owner type."))
        return value

    def clean_question_ids(self) -> list[Question]:
        if self.instance.pk:
            return []
        raw = [
            part.strip()
            for part in self.cleaned_data["question_ids"].replace("[", "").replace("]", "").split(",")
        ]
        try:
            ids = [int(part) for part in raw if part]
        except ValueError as exc:
            raise ValidationError(_("Question ids are numbers separated by commas.")) from exc
        found = Question.objects.in_bulk(ids)
        unknown = [pk for pk in ids if pk not in found]
        if unknown:
            raise ValidationError(_("Unknown questions: %(ids)s.") % {"ids": ", ".join(map(str, unknown))})
        return [found[pk] for pk in ids]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            if self.instance.pk:
                services.quiz_window_check(
                    purpose=self.instance.purpose,
                    opens_at=cleaned.get("opens_at"),
                    closes_at=cleaned.get("closes_at"),
                )
            else:
                services.quiz_check(
                    owner_ref=cleaned["owner"],
                    questions=cleaned["question_ids"],
                    purpose=cleaned["purpose"],
                    klass=cleaned.get("klass"),
                    opens_at=cleaned.get("opens_at"),
                    closes_at=cleaned.get("closes_at"),
                    created_by=getattr(self, "admin_user", None),
                )
        except ValidationError as exc:
            for name, messages_ in exc.message_dict.items():
                field = {"questions": "question_ids", "owner": "owner"}.get(name, name)
                self.add_error(field if field in self.fields else None, messages_)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return cleaned


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizAdminForm
    list_display = [
        "title",
        "purpose",
        "platform",
        "owner_ref",
        "klass",
        "opens_at",
        "closes_at",
        "is_active",
    ]
    list_filter = ["platform", "purpose", "is_active"]
    list_select_related = ["klass"]
    search_fields = ["title", "owner_kind"]
    raw_id_fields = ["klass"]
    inlines = [QuizQuestionInline]
    actions = ["withdraw"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_user = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Quiz, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.quiz_update(
                user=request.user,  # type: ignore[arg-type]
                quiz=obj,
                title=data["title"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                is_active=data["is_active"],
            )
        else:
            created = services.quiz_create(
                owner_ref=data["owner"],
                title=data["title"],
                purpose=data["purpose"],
                questions=data["question_ids"],
                klass=data["klass"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                created_by=request.user,  # type: ignore[arg-type]
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """The services attach the questions; the read-only inline saves nothing."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdraw instead: attempts are records

    @admin.action(description=_("Withdraw the selected quizzes"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> None:
        for quiz in queryset:
            services.quiz_update(user=request.user, quiz=quiz, is_active=False)  # type: ignore[arg-type]
        messages.success(request, _("Withdrawn."))


class AttemptAnswerInline(admin.TabularInline):
    model = AttemptAnswer
    fields = ("question", "given", "is_correct")
    readonly_fields = ("question", "given", "is_correct")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "student", "purpose", "score", "submitted_at"]
    list_filter = ["purpose"]
    list_select_related = ["quiz", "student"]
    search_fields = ["student__username", "quiz__title"]
    readonly_fields = [
        "quiz",
        "student",
        "purpose",
        "klass",
        "client_token",
        "correct_count",
        "question_count",
        "score",
        "submitted_at",
    ]
    inlines = [AttemptAnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # attempts are graded submissions, made by students

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
