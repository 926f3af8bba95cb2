"""Read-only admin: agreements change only through their services (signatures are evidence)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from employment.agreements.models import Agreement, AgreementVersion, Signature


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnly):
    list_display = ["pk", "employer", "university", "status", "version", "created_at"]
    list_filter = ["status"]
    list_select_related = ["employer", "university"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnly):
    list_display = ["agreement", "number", "content_hash", "created_at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnly):
    list_display = ["agreement", "version", "role", "signed_at", "client_ip"]
