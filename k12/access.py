"""Who may do what on the K-12 sub-platform: one function per rule (Zulip's ``access_*`` helpers).

Views, the API (through ``IsStudent``), the services, the templates (through the context the views build)
and the navigation call these; none writes its own role test. A forbidden object and a missing one answer
alike (404); an action the user's role may not take is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from k12.models import Lesson
from smartedu.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from smartedu.accounts.models import User


def can_submit_exercises(user: object) -> bool:
    """Only students submit after-class exercises (active, signed-in accounts with the student role)."""
    return has_own_learning(user) and getattr(user, "role", None) == Role.STUDENT


def check_can_submit_exercises(user: object) -> None:
    """``PermissionDenied`` unless ``user`` may submit exercises."""
    if not can_submit_exercises(user):
        raise PermissionDenied(_("Only students submit exercises."))


def has_own_learning(user: object) -> bool:
    """Favourites, recent lessons and results ("My learning") belong to signed-in, active accounts.

    ``user`` is a ``User``, an ``AnonymousUser`` or ``None`` (the navigation registry passes ``object``).
    """
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def access_lesson(*, lesson_id: int) -> Lesson:
    """A visible lesson, or ``Http404`` whether it is missing or unpublished."""
    lesson = Lesson.objects.visible().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    return lesson


def access_lesson_for_submission(*, user: User | AnonymousUser, lesson_id: int) -> Lesson:
    """The visible lesson ``user`` may submit answers for: 404 if not visible, 403 if not a student."""
    lesson = access_lesson(lesson_id=lesson_id)
    check_can_submit_exercises(user)
    return lesson
