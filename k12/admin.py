from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from k12 import services
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
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class PublishActionsMixin:
    """Publish/unpublish actions that go through the services (drafts never show on the site)."""

    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish selected items"))
    def publish(self, request, queryset):
        count = services.content_publish(queryset=queryset)
        self.message_user(request, _("%(count)d items published.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected items"))
    def unpublish(self, request, queryset):
        count = services.content_unpublish(queryset=queryset)
        self.message_user(request, _("%(count)d items unpublished.") % {"count": count}, messages.SUCCESS)


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
class ResourceAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = ["title", "section", "column", "kind", "audience", "status", "published_at", "view_count"]
    list_filter = ["status", "section", "kind", "audience", "column"]
    list_select_related = ["section", "column"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["column", "tags", "subject"]
    readonly_fields = ["section", "view_count", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    formfield_overrides = URL_FIELDS

    def save_model(self, request, obj, form, change):
        services.resource_save(resource=obj)


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
    extra = 0


class TextbookAdminForm(forms.ModelForm):
    class Meta:
        model = Textbook
        fields = ["edition", "subject", "stage", "grade", "volume", "title", "publisher", "order", "status"]

    def clean(self):
        data = super().clean()
        if all(data.get(f) is not None for f in ("subject", "stage", "volume")):
            for field, errors in services.textbook_validate(
                subject=data["subject"], stage=data["stage"], grade=data.get("grade"), volume=data["volume"]
            ).items():
                self.add_error(field, errors)
        return data


@admin.register(Textbook)
class TextbookAdmin(PublishActionsMixin, admin.ModelAdmin):
    form = TextbookAdminForm
    list_display = ["title", "edition", "subject", "stage", "grade", "volume", "publisher", "status"]
    list_filter = ["status", "stage", "subject", "edition"]
    list_select_related = ["edition", "subject", "stage", "grade", "publisher"]
    search_fields = ["title"]
    autocomplete_fields = ["publisher", "subject", "edition"]
    inlines = [UnitInline]


class LessonHourInline(admin.StackedInline):
    model = LessonHour
    extra = 0
    show_change_link = True


@admin.register(Lesson)
class LessonAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = ["title", "textbook", "unit", "order", "status", "view_count"]
    list_filter = ["status", "textbook__stage", "textbook__subject", "textbook__edition"]
    list_select_related = ["textbook", "unit"]
    search_fields = ["title", "textbook__title"]
    raw_id_fields = ["textbook", "unit"]
    readonly_fields = ["view_count"]
    inlines = [LessonHourInline]


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["hour", "order", "kind", "prompt", "options", "answer", "explanation"]

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            for field, errors in services.question_validate(
                kind=data["kind"], options=data.get("options") or [], answer=data.get("answer") or ""
            ).items():
                self.add_error(field, errors)
        return data


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 0


@admin.register(LessonHour)
class LessonHourAdmin(admin.ModelAdmin):
    list_display = ["title", "lesson", "order", "duration"]
    list_select_related = ["lesson"]
    search_fields = ["title", "lesson__title"]
    raw_id_fields = ["lesson"]
    inlines = [QuestionInline]


class ChapterInline(admin.TabularInline):
    model = ETextbookChapter
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(ETextbook)
class ETextbookAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "stage", "subject", "grade", "volume", "page_count", "status"]
    list_filter = ["status", "stage", "subject", "publisher"]
    list_select_related = ["publisher", "stage", "subject", "grade"]
    search_fields = ["title", "publisher__name"]
    autocomplete_fields = ["publisher", "subject", "edition"]
    raw_id_fields = ["textbook"]
    readonly_fields = ["view_count"]
    inlines = [ChapterInline]


@admin.register(Submission)
class SubmissionAdmin(ProvinceScopedAdminMixin, admin.ModelAdmin):
    province_scope_field = "student__province"  # a provincial administrator sees their province's work
    list_display = ["student", "lesson", "score", "correct_count", "question_count", "created_at"]
    list_select_related = ["student", "lesson"]
    search_fields = ["student__username", "lesson__title"]
    raw_id_fields = ["student", "lesson"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a graded submission is a record, not something to edit
