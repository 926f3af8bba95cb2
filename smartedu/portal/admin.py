from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from smartedu.accounts.models import User
from smartedu.portal import access, services
from smartedu.portal.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "is_pinned", "published_at", "expires_at"]
    list_filter = ["is_pinned"]
    search_fields = ["title"]
    exclude = ["created_by"]

    def _allowed(self, request: HttpRequest) -> bool:
        return access.announcements_manageable(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Announcement, form: Any, change: bool) -> None:
        user = request.user if isinstance(request.user, User) else None
        services.announcement_save(announcement=obj, by=user)

    def delete_model(self, request: HttpRequest, obj: Announcement) -> None:
        services.announcement_delete(announcement=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for announcement in queryset:
            services.announcement_delete(announcement=announcement)
