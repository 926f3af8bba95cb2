"""The K-12 admin: thin forms over the services, which keep the same invariants as the API and the seeder.

Every create, update and publish of content goes through ``k12.services`` (``save_model`` and
``save_formset`` call the entity's ``*_save``); the forms call the same pure rules for their messages.
Orders are optional in the forms: an item without one goes last. Titles, orders and publishers of
textbooks, a lesson's textbook and publication dates are derived, so they are read-only here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from k12 import rules, services
from k12.models import (
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Grade,
    Lesson,
    LessonHour,
    PartnerLink,
    Publisher,
    Question,
    Resource,
    Section,
    Stage,
    StageSubject,
    Subject,
    Submission,
    Tag,
    Textbook,
    Unit,
)
from k12.models.publishing import PublishableQuerySet
from smartedu.accounts.admin_scope import ProvinceScopedAdminMixin


class StageSubjectInline(admin.TabularInline):
    model = StageSubject
    extra = 0
    autocomplete_fields = ["subject"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [StageSubjectInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "stage"]
    list_filter = ["stage"]
    list_select_related = ["stage"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "code", "order"]
    search_fields = ["name", "publisher"]


# --- Content ------------------------------------------------------------------------------------


# Addresses typed without a scheme are https (Django 6's default; silences its deprecation warning).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}

# The service that saves each kind of row an admin page or inline edits.
SAVERS: dict[type[models.Model], Callable[[Any], Any]] = {
    Resource: lambda obj: services.resource_save(resource=obj),
    Textbook: lambda obj: services.textbook_save(textbook=obj),
    Unit: lambda obj: services.unit_save(unit=obj),
    Lesson: lambda obj: services.lesson_save(lesson=obj),
    LessonHour: lambda obj: services.lesson_hour_save(hour=obj),
    Question: lambda obj: services.question_save(question=obj),
    ETextbook: lambda obj: services.etextbook_save(etextbook=obj),
    ETextbookChapter: lambda obj: services.chapter_save(chapter=obj),
}


class VisibleFilter(admin.SimpleListFilter):
    """Whether the public sees an item, by the model's own ``visible()`` rule (a lesson also needs its
    textbook published)."""

    title = _("on the site")
    parameter_name = "visible"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Visible")), ("no", _("Not visible"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not isinstance(queryset, PublishableQuerySet):
            return queryset
        if self.value() == "yes":
            return queryset.visible()
        if self.value() == "no":
            return queryset.drafts()
        return queryset


class ServiceAdminMixin(admin.ModelAdmin):
    """Saves the object and its inlines through the services; publish/unpublish actions likewise."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        SAVERS[type(obj)](obj)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            SAVERS[type(obj)](obj)
        formset.save_m2m()


class PublishActionsMixin(ServiceAdminMixin):
    """Publish/unpublish actions that go through the services (drafts never show on the site)."""

    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish selected items"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = services.content_publish(queryset=queryset)
        self.message_user(request, _("%(count)d items published.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected items"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = services.content_unpublish(queryset=queryset)
        self.message_user(request, _("%(count)d items unpublished.") % {"count": count}, messages.SUCCESS)


class OptionalOrderForm(forms.ModelForm):
    """``order`` may be left empty (or 0): the service puts the item last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self.fields["order"].required = False
            self.fields["order"].help_text = _("Leave empty to put it last.")


class ColumnInline(admin.TabularInline):
    model = Column
    extra = 0
    fields = ["code", "name", "order", "stage"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [ColumnInline]


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "section", "code", "order", "stage"]
    list_filter = ["section"]
    list_select_related = ["section", "stage"]
    search_fields = ["name", "code"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Resource)
class ResourceAdmin(PublishActionsMixin):
    list_display = ["title", "section", "column", "kind", "audience", "status", "published_at", "view_count"]
    list_filter = [VisibleFilter, "status", "section", "kind", "audience", "column"]
    list_select_related = ["section", "column"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["column", "tags", "subject"]
    readonly_fields = ["section", "published_at", "view_count", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    formfield_overrides = URL_FIELDS


@admin.register(PartnerLink)
class PartnerLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "phone", "order", "is_active"]
    formfield_overrides = URL_FIELDS
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class UnitInline(admin.TabularInline):
    model = Unit
    form = OptionalOrderForm
    extra = 0


class TextbookAdminForm(forms.ModelForm):
    class Meta:
        model = Textbook
        fields = ["edition", "subject", "stage", "grade", "volume", "title", "publisher", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publisher"].required = False
        self.fields["publisher"].help_text = _("Leave empty for the edition's publisher.")
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "Leave empty for a title made of subject, grade, volume and edition."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(f) is not None for f in ("subject", "stage", "volume")):
            for field, errors in services.textbook_check(
                subject=data["subject"], stage=data["stage"], grade=data.get("grade"), volume=data["volume"]
            ).items():
                self.add_error(field, errors)
        return data


@admin.register(Textbook)
class TextbookAdmin(PublishActionsMixin):
    form = TextbookAdminForm
    list_display = ["title", "edition", "subject", "stage", "grade", "volume", "publisher", "status"]
    list_filter = [VisibleFilter, "stage", "subject", "edition"]
    list_select_related = ["edition", "subject", "stage", "grade", "publisher"]
    search_fields = ["title"]
    autocomplete_fields = ["publisher", "subject", "edition"]
    readonly_fields = ["order", "published_at"]
    inlines = [UnitInline]


class LessonHourInline(admin.StackedInline):
    model = LessonHour
    form = OptionalOrderForm
    extra = 0
    show_change_link = True


class LessonAdminForm(OptionalOrderForm):
    class Meta:
        model = Lesson
        fields = ["unit", "order", "title", "summary", "start_page", "end_page", "status"]


@admin.register(Lesson)
class LessonAdmin(PublishActionsMixin):
    form = LessonAdminForm
    list_display = ["title", "textbook", "unit", "order", "status", "view_count"]
    list_filter = [VisibleFilter, "status", "textbook__stage", "textbook__subject", "textbook__edition"]
    list_select_related = ["textbook", "unit"]
    search_fields = ["title", "textbook__title"]
    raw_id_fields = ["unit"]
    readonly_fields = ["textbook", "published_at", "view_count"]
    inlines = [LessonHourInline]


class QuestionAdminForm(OptionalOrderForm):
    class Meta:
        model = Question
        fields = ["hour", "order", "kind", "prompt", "options", "answer", "explanation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind"):
            for field, errors in rules.question_validate(
                kind=data["kind"], options=data.get("options") or [], answer=data.get("answer") or ""
            ).items():
                self.add_error(field, errors)
        return data


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 0


class LessonHourAdminForm(OptionalOrderForm):
    class Meta:
        model = LessonHour
        fields = ["lesson", "order", "title", "video", "duration", "slides", "teaching_design", "task_sheet"]


@admin.register(LessonHour)
class LessonHourAdmin(ServiceAdminMixin):
    form = LessonHourAdminForm
    list_display = ["title", "lesson", "order", "duration"]
    list_select_related = ["lesson"]
    search_fields = ["title", "lesson__title"]
    raw_id_fields = ["lesson"]
    inlines = [QuestionInline]


class ChapterForm(OptionalOrderForm):
    class Meta:
        model = ETextbookChapter
        fields = ["order", "title", "start_page", "unit"]


class ChapterInline(admin.TabularInline):
    model = ETextbookChapter
    form = ChapterForm
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(ETextbook)
class ETextbookAdmin(PublishActionsMixin):
    list_display = ["title", "publisher", "stage", "subject", "grade", "volume", "page_count", "status"]
    list_filter = [VisibleFilter, "status", "stage", "subject", "publisher"]
    list_select_related = ["publisher", "stage", "subject", "grade"]
    search_fields = ["title", "publisher__name"]
    autocomplete_fields = ["publisher", "subject", "edition"]
    raw_id_fields = ["textbook"]
    readonly_fields = ["published_at", "view_count"]
    inlines = [ChapterInline]


@admin.register(Submission)
class SubmissionAdmin(ProvinceScopedAdminMixin, admin.ModelAdmin):
    province_scope_field = "student__province"  # a provincial administrator sees their province's work
    list_display = ["student", "lesson", "score", "correct_count", "question_count", "created_at"]
    list_select_related = ["student", "lesson"]
    search_fields = ["student__username", "lesson__title"]
    raw_id_fields = ["student", "lesson"]

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # a graded submission is a record, not something to edit
