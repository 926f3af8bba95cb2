"""The Django admin shows the vocational content read-only: every write goes through ``services`` (the pages
and the API), so that library edits are recorded as upstream changes for every copy."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vocational.models import (
    ClassQuestion,
    Course,
    CourseChange,
    Library,
    Resource,
    Specialty,
    SpecialtyCategory,
    SpecialtyClass,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SpecialtyCategory)
class SpecialtyCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(SpecialtyClass)
class SpecialtyClassAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category"]
    list_select_related = ["category"]
    search_fields = ["code", "name"]


@admin.register(Specialty)
class SpecialtyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "specialty_class"]
    list_select_related = ["specialty_class"]
    search_fields = ["code", "name"]


@admin.register(Library)
class LibraryAdmin(ReadOnlyAdmin):
    list_display = ["title", "specialty", "is_published", "view_count"]
    list_select_related = ["specialty"]
    search_fields = ["title"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "specialty", "owner", "is_published", "updated_at"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["specialty", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "source", "library", "specialty"]


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "library", "owner", "quality_score"]
    list_filter = ["kind"]
    list_select_related = ["library", "owner"]
    search_fields = ["title"]


@admin.register(CourseChange)
class CourseChangeAdmin(ReadOnlyAdmin):
    list_display = ["course", "seq", "kind", "created_at"]
    list_select_related = ["course"]


@admin.register(ClassQuestion)
class ClassQuestionAdmin(ReadOnlyAdmin):
    list_display = ["course", "student", "asked_at", "first_reply_at"]
    list_select_related = ["course", "student"]
