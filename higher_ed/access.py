"""Who may do what on the higher-education platform: one function per rule.

Views, the API, the admin and the navigation call these; none writes its own role test. Content that is not
visible and content that belongs to someone else answer alike (404). The monitoring centre answers 403 to an
officer or a provincial admin who asks for a university outside their scope, as its specification says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from higher_ed.models import Enrollment
from smartedu.accounts.models import Role
from smartedu.institutions.models import Institution

# Roles that learn on the platform (new roles are left out until someone decides they learn here).
LEARNER_ROLES = frozenset({Role.STUDENT, Role.TEACHER, Role.GRADUATE})


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def enrollment_allowed(user: Any) -> bool:
    """Students, teachers and graduates enrol in runs and record their progress."""
    return _active(user) and user.role in LEARNER_ROLES


def platform_switchable(user: Any) -> bool:
    """Only ministry administrators switch partner platforms on and off ("平台管平台")."""
    return _active(user) and user.is_platform_admin and user.scope_province_id is None


def switch_log_readable(user: Any) -> bool:
    """Every administrator (ministry and provincial) reads the switch log."""
    return _active(user) and user.is_platform_admin


def _officer_university_id(user: Any) -> int | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation.institution_id if affiliation is not None else None


@dataclass(frozen=True)
class MonitoringScope:
    """What part of the monitoring centre a user reads: everything, one province's universities, or one."""

    province_id: int | None = None
    university_id: int | None = None

    @property
    def national(self) -> bool:
        return self.province_id is None and self.university_id is None


def monitoring_scope(user: Any) -> MonitoringScope | None:
    """The user's scope in the monitoring centre, or None when they have none.

    Ministry admins read everything, provincial admins the universities of their province, approved officers
    the university their affiliation names (an officer without one reads nothing).
    """
    if not _active(user):
        return None
    if user.is_platform_admin:
        return MonitoringScope(province_id=user.scope_province_id)
    if user.role == Role.OFFICER and user.is_approved:
        university_id = _officer_university_id(user)
        if university_id is not None:
            return MonitoringScope(university_id=university_id)
    return None


def monitoring_openable(user: Any) -> bool:
    return monitoring_scope(user) is not None


def access_monitoring(user: Any, *, university: Institution | None) -> MonitoringScope:
    """The user's scope, checked against the university asked for: outside it → ``PermissionDenied``."""
    scope = monitoring_scope(user)
    if scope is None:
        raise PermissionDenied
    if university is not None:
        if scope.university_id is not None and university.pk != scope.university_id:
            raise PermissionDenied
        if scope.province_id is not None and university.province_id != scope.province_id:
            raise PermissionDenied
    return scope


def access_enrollment(user: Any, enrollment_id: int) -> Enrollment:
    """One of the user's own enrolments in a visible course; anyone else's, or a hidden one, is 404."""
    if not _active(user):
        raise Http404
    enrollment = (
        Enrollment.objects.visible()
        .filter(pk=enrollment_id, user_id=user.pk)
        .select_related("run", "course__university", "course__platform")
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment
