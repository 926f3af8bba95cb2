"""The employment front in the Django admin: read-mostly, scoped by ``access`` like the pages.

Writes go through the pages and the API (services); the admin lets the ministry inspect rows and delivery.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from employment.front import access
from employment.front.models import CounsellorAssignment, Directive, GraduatingClass, RollupRun, Survey
from smartedu.accounts.access import scope_filter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "sender",
        "audience",
        "urgent",
        "created_at",
        "status",
        "delivered_count",
        "recipient_count",
    ]
    list_filter = ["audience", "urgent", "status"]
    search_fields = ["title"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Directive]:
        # The sender's own directives: the same rule as the receipts page.
        return access.sent_directives(request.user).select_related("sender")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "province", "status", "created_at"]
    list_filter = ["status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Survey]:
        return access.manageable_surveys(request.user).select_related("author", "province")


@admin.register(GraduatingClass)
class GraduatingClassAdmin(ReadOnlyAdmin):
    list_display = ["university", "specialty", "graduation_year"]
    search_fields = ["specialty", "university__name"]
    list_select_related = ["university"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[GraduatingClass]:
        classes = GraduatingClass.objects.all()
        return scope_filter(request.user, classes, province_field="university__province")


@admin.register(CounsellorAssignment)
class CounsellorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "graduating_class", "assigned_by", "assigned_at"]
    list_select_related = ["user", "graduating_class", "assigned_by"]
    raw_id_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CounsellorAssignment]:
        return scope_filter(
            request.user,
            CounsellorAssignment.objects.all(),
            province_field="graduating_class__university__province",
        )


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "started_at", "graduates", "rows"]
