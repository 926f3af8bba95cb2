"""Reads of accounts; every list of accounts is scoped by ``access.governable_users``."""

from __future__ import annotations

from django.db.models import QuerySet

from smartedu.accounts import access, lockout
from smartedu.accounts.models import APPROVAL_ROLES, Province, User


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def user_pending_approval_list(*, admin: User) -> QuerySet[User]:
    """Employer and officer accounts awaiting approval that ``admin`` may approve (their province only)."""
    return (
        access.governable_users(admin)
        .filter(role__in=APPROVAL_ROLES, approved_at__isnull=True, is_active=True)
        .select_related("province")
        .order_by("date_joined", "pk")
    )


def lockout_list(*, admin: User) -> list[lockout.Lockout]:
    """Current login lockouts of the accounts ``admin`` governs, soonest-to-expire last."""
    return lockout.lockout_list(usernames=access.governable_users(admin).values("username"))
