"""Read-only admin of the feeds (imports and partners change through the services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from employment.feeds.models import FeedImport, FeedItem, Partner


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeedImport)
class FeedImportAdmin(ReadOnly):
    list_display = ["pk", "source", "format", "status", "total", "processed", "created_at"]
    exclude = ["payload"]


@admin.register(FeedItem)
class FeedItemAdmin(ReadOnly):
    list_display = ["source", "external_id", "job", "updated_at"]


@admin.register(Partner)
class PartnerAdmin(ReadOnly):
    list_display = ["name", "key_prefix", "is_active", "last_pulled_at"]
    exclude = ["key_hash"]
