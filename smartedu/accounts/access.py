"""Who may do what with accounts: one function per rule (Zulip's ``access_*`` helpers).

Views, the API, the admin and the navigation call these; none writes its own role or scope test.
Every other app scopes by province with ``scope_filter`` (statistics, graded work in the admin, …).
"""

from __future__ import annotations

import ipaddress
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from smartedu.accounts.models import APPROVAL_ROLES, Role, User

M = TypeVar("M", bound=Model)


def _active_user(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def is_platform_admin(user: Any) -> bool:
    """An active administrator: the ministry's or a province's."""
    active = _active_user(user)
    return bool(active and active.is_platform_admin)


def is_ministry_admin(user: Any) -> bool:
    """An active administrator of every province (a superuser or an administrator without a province)."""
    active = _active_user(user)
    return bool(active and active.is_platform_admin and active.is_ministry_admin)


def scope_filter(user: Any, queryset: QuerySet[M], *, province_field: str) -> QuerySet[M]:
    """The rows of ``queryset`` within ``user``'s authority, by the province at ``province_field``.

    The ministry sees every row; a provincial administrator the rows of their province; anyone else none.
    ``province_field`` is a lookup path to a ``Province`` foreign key (``"student__province"``).
    """
    if not is_platform_admin(user):
        return queryset.none()
    scope = user.scope_province_id
    if scope is None:
        return queryset
    return queryset.filter(**{province_field: scope})


def governable_users(user: Any) -> QuerySet[User]:
    """The accounts ``user`` administers: all for the ministry; for a provincial administrator, the
    accounts of their province except administrators, staff and superusers (never their peers or superiors).
    """
    users = scope_filter(user, User.objects.all(), province_field="province")
    if not is_ministry_admin(user):
        users = users.exclude(Q(role=Role.ADMIN) | Q(is_staff=True) | Q(is_superuser=True))
    return users


def account_governable(admin: Any, account: User) -> bool:
    return governable_users(admin).filter(pk=account.pk).exists()


def privileges_editable(user: Any) -> bool:
    """Role, administrative scope, staff and superuser flags, groups and permissions: the ministry only."""
    return is_ministry_admin(user)


def approvals_openable(user: Any) -> bool:
    """Active administrators (the ministry and provincial administrators) review pending accounts."""
    return is_platform_admin(user)


def lockouts_openable(user: Any) -> bool:
    """Administrators see and lift the login lockouts of the accounts they govern."""
    return is_platform_admin(user)


def access_account_for_approval(admin: Any, pk: int) -> User:
    """An employer or officer account in ``admin``'s scope; 404 alike when missing or out of scope."""
    try:
        return governable_users(admin).filter(role__in=APPROVAL_ROLES, is_active=True).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def access_governed_account(admin: Any, *, username: str) -> User:
    """An account ``admin`` governs, by username; 404 alike when missing or out of scope."""
    try:
        return governable_users(admin).get(username=username)
    except User.DoesNotExist:
        raise Http404 from None


def health_detail_visible(user: Any, client_address: str) -> bool:
    """``/readyz`` explains its failures to administrators and to the machine itself (loopback)."""
    return is_platform_admin(user) or ipaddress.ip_address(client_address).is_loopback
