"""Who may read view statistics: administrators; a provincial administrator only their own province."""

from __future__ import annotations

from smartedu.accounts.models import Role
from smartedu.stats.viewers import province_code_of


def stats_readable(user) -> bool:
    """Administrators (the ministry and provincial administrators) read view statistics."""
    return bool(user and user.is_authenticated and user.is_active and user.is_platform_admin)


def stats_national(user) -> bool:
    """Ministry administrators (no province) read the national figures: sections, hot content."""
    return stats_readable(user) and user.scope_province_id is None


def dashboard_openable(user) -> bool:
    """Administrators and approved employment officers have a dashboard (officers' panels come later)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_platform_admin or (user.role == Role.OFFICER and user.is_approved)


def scope_province_code(user) -> str | None:
    """The province code a provincial administrator is limited to; None for the ministry."""
    return province_code_of(user.scope_province_id) or None if user.scope_province_id else None


def province_permitted(user, code: str | None) -> bool:
    scope = scope_province_code(user)
    return scope is None or code == scope
