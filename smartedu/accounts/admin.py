from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from smartedu.accounts import services
from smartedu.accounts.models import Province, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "role", "province", "institution", "approved_at", "is_active"]
    list_filter = ["role", "province", "is_active", "is_staff"]
    list_select_related = ["province"]
    search_fields = ["username", "email", "institution"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Smart education"), {"fields": ("role", "province", "institution", "approved_at", "approved_by")}),
    )
    readonly_fields = ["approved_at", "approved_by"]
    actions = ["approve_accounts"]

    @admin.action(description=_("Approve selected employer and officer accounts"))
    def approve_accounts(self, request, queryset):
        approved = 0
        for user in queryset.filter(approved_at__isnull=True):
            try:
                services.user_approve(user=user, approved_by=request.user)
            except PermissionDenied:
                continue
            approved += 1
        self.message_user(request, _("%(count)d accounts approved.") % {"count": approved}, messages.SUCCESS)
