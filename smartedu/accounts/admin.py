from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartedu.accounts import access, services
from smartedu.accounts.admin_scope import ProvinceScopedAdminMixin
from smartedu.accounts.models import AuditEntry, Province, User
from smartedu.portal.client import client_ip

# Fields that confer authority: only the ministry edits them (access.privileges_editable).
PRIVILEGED_FIELDS = ("role", "admin_province", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(ProvinceScopedAdminMixin, DjangoUserAdmin):
    """Accounts, scoped: a provincial administrator sees the accounts they govern and cannot confer
    authority; every save goes through ``services.user_admin_save`` (audit, approval rules)."""

    province_scope_field = "province"
    list_display = ["username", "email", "role", "province", "institution", "approved_at", "is_active"]
    list_filter = ["role", "province", "is_active", "is_staff"]
    list_select_related = ["province"]
    search_fields = ["username", "email", "institution"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Smart education"),
            {"fields": ("role", "province", "institution", "admin_province", "approved_at", "approved_by")},
        ),
    )
    actions = ["approve_accounts", "unlock_accounts"]

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset & access.governable_users(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = ["approved_at", "approved_by"]
        if not access.privileges_editable(request.user):
            readonly += PRIVILEGED_FIELDS
        return readonly

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and access.privileges_editable(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        assert isinstance(request.user, User)  # the admin site requires a signed-in staff account
        services.user_admin_save(actor=request.user, user=obj, client_ip=client_ip(request))

    @admin.action(description=_("Approve selected employer and officer accounts"))
    def approve_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        approved = 0
        for user in queryset:
            try:
                services.user_approve(user=user, approved_by=request.user, client_ip=client_ip(request))
            except (PermissionDenied, ValidationError):
                continue
            approved += 1
        self.message_user(request, _("%(count)d accounts approved.") % {"count": approved}, messages.SUCCESS)

    @admin.action(description=_("Lift the login lockout of the selected accounts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        for user in queryset:
            services.user_lockout_clear(actor=request.user, user=user, client_ip=client_ip(request))
        self.message_user(
            request, _("%(count)d accounts may log in again.") % {"count": len(queryset)}, messages.SUCCESS
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ProvinceScopedAdminMixin, admin.ModelAdmin):
    """The log of changes to accounts' authority and standing: read only."""

    province_scope_field = "subject__province"
    list_display = [
        "created_at",
        "action",
        "subject_username",
        "actor",
        "old_value",
        "new_value",
        "client_ip",
    ]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["subject_username", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
