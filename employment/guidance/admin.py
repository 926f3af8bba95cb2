"""Career guidance in the Django admin: read-only (writes go through ``employment.guidance.services`` and
the seeders). Assessment results are private to their graduates and are not listed here."""

from django.contrib import admin

from employment.fairs.admin import ReadOnlyAdmin
from employment.guidance.models import (
    Article,
    Assessment,
    CareerCase,
    EmploymentSite,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    QualityReport,
    TrainingCourse,
)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "minutes"]


@admin.register(EncyclopediaEntry)
class EncyclopediaEntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "category"]
    search_fields = ["title"]


@admin.register(CareerCase)
class CareerCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "destination", "published_at"]
    list_filter = ["destination"]


@admin.register(LiveCourse)
class LiveCourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "speaker", "starts_at", "registration_count"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "provider"]


@admin.register(KeyProgram)
class KeyProgramAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "opens_on", "closes_on"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "published_at"]
    list_filter = ["category"]


@admin.register(QualityReport)
class QualityReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "university", "year"]
    list_select_related = ["university"]


@admin.register(EmploymentSite)
class EmploymentSiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "click_count"]
