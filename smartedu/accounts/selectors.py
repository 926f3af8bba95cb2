from django.db.models import QuerySet

from smartedu.accounts.models import APPROVAL_ROLES, Province, User


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def user_pending_approval_list(*, admin: User) -> QuerySet[User]:
    """Employer and officer accounts awaiting approval that ``admin`` may approve (their province only)."""
    qs = User.objects.filter(role__in=APPROVAL_ROLES, approved_at__isnull=True, is_active=True)
    if not admin.is_platform_admin:
        return qs.none()
    if admin.scope_province_id is not None:
        qs = qs.filter(province_id=admin.scope_province_id)
    return qs.select_related("province").order_by("date_joined", "pk")
