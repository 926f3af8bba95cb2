"""Fairs in the Django admin: read-only (every write goes through ``employment.fairs.services``)."""

from typing import Any

from django.contrib import admin

from employment.fairs.models import Fair, FairRegistration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Fair)
class FairAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "employer_count",
        "job_count",
        "application_count",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "sector"]


@admin.register(FairRegistration)
class FairRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["fair", "employer", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["fair", "employer"]
