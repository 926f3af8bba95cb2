from django.contrib import admin

from smartedu.guardians.models import GuardianLink


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    """Read-only: links are made by the parent with the child's code, never by an administrator."""

    list_display = ["parent", "child", "created_at", "consented_at"]
    search_fields = ["parent__username", "child__username"]
    raw_id_fields = ["parent", "child"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
