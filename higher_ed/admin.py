from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from higher_ed import services
from higher_ed.models import (
    AnomalyFlag,
    Course,
    CourseRun,
    CourseTeacher,
    CourseUnit,
    CreditCourseFigure,
    DisciplineCategory,
    Enrollment,
    Platform,
    PlatformSwitch,
    SpecialtyClass,
    Teacher,
)


@admin.register(DisciplineCategory)
class DisciplineCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(SpecialtyClass)
class SpecialtyClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["code", "name"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    """The switch itself is not edited here: it is logged, at /higher-ed/platforms/manage/."""

    list_display = ["name", "code", "host", "international", "enabled", "switched_at"]
    readonly_fields = ["enabled", "switched_at"]


@admin.register(PlatformSwitch)
class PlatformSwitchAdmin(admin.ModelAdmin):
    """The switch log: read-only, for every administrator."""

    list_display = ["switched_at", "platform", "enabled", "switched_by", "reason"]
    list_filter = ["platform", "enabled"]
    list_select_related = ["platform", "switched_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VisibleFilter(admin.SimpleListFilter):
    """Whether the catalogue shows the course (``Course.objects.visible()``)."""

    title = _("visible in the catalogue")
    parameter_name = "visible"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> QuerySet[Course]:
        if self.value() == "yes":
            return queryset & Course.objects.visible()
        if self.value() == "no":
            return queryset.exclude(pk__in=Course.objects.visible().values("pk"))
        return queryset


class CourseTeacherInline(admin.TabularInline):
    model = CourseTeacher
    extra = 0
    raw_id_fields = ["teacher"]


class CourseUnitInline(admin.TabularInline):
    model = CourseUnit
    extra = 0


class CourseRunInline(admin.TabularInline):
    model = CourseRun
    extra = 0
    readonly_fields = ["term", "status"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "university",
        "platform",
        "category",
        "first_class",
        "credit",
        "international",
        "listed",
    ]
    list_filter = [VisibleFilter, "platform", "category", "first_class", "credit", "international", "listed"]
    list_select_related = ["university", "platform", "category"]
    search_fields = ["title", "source_id"]
    raw_id_fields = ["university"]
    readonly_fields = ["run_statuses", "total_video_seconds", "enrollment_count", "view_count", "hot_score"]
    inlines = [CourseTeacherInline, CourseUnitInline, CourseRunInline]
    actions = ["delist", "relist"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.course_refresh(course=form.instance)

    @admin.action(description=_("Take the selected courses out of the catalogue"))
    def delist(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        count = services.courses_list_set(ids=list(queryset.values_list("pk", flat=True)), listed=False)
        self.message_user(request, _("%(count)d courses taken out.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Put the selected courses back in the catalogue"))
    def relist(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        count = services.courses_list_set(ids=list(queryset.values_list("pk", flat=True)), listed=True)
        self.message_user(request, _("%(count)d courses put back.") % {"count": count}, messages.SUCCESS)


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "university"]
    search_fields = ["name"]
    raw_id_fields = ["university"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "run", "progress", "completed_at", "score"]
    list_select_related = ["user", "course", "run"]
    raw_id_fields = ["user", "run", "course"]
    readonly_fields = ["progress", "completed_at", "score"]


@admin.register(CreditCourseFigure)
class CreditCourseFigureAdmin(admin.ModelAdmin):
    list_display = [
        "term",
        "platform",
        "university",
        "credit_courses",
        "enrollments",
        "completions",
        "anomalies",
    ]
    list_filter = ["term", "platform"]
    list_select_related = ["platform", "university"]


@admin.register(AnomalyFlag)
class AnomalyFlagAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "university", "platform", "detail"]
    list_filter = ["kind", "term", "platform"]
    list_select_related = ["university", "platform"]
    raw_id_fields = ["enrollment"]
