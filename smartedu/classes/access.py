"""Who may do what with classes: fetch-and-check functions (Zulip's ``access_*``).

A class that does not exist and one the user may not open answer alike: ``Http404``. Views, the API, the
admin, the navigation and other apps (quizzes, sub-platforms) call these; none writes its own test.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404

from smartedu.accounts.models import Role
from smartedu.classes.models import Class, ClassQuerySet, Membership


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_teacher(user: object) -> bool:
    return _active(user) and getattr(user, "role", None) == Role.TEACHER


def is_student(user: object) -> bool:
    return _active(user) and getattr(user, "role", None) == Role.STUDENT


def is_admin(user: object) -> bool:
    return _active(user) and bool(getattr(user, "is_platform_admin", False))


def may_manage(user: object, klass: Class) -> bool:
    """The owning teacher, and administrators."""
    return is_admin(user) or (_active(user) and klass.teacher_id == getattr(user, "pk", None))


def is_member(user: object, klass: Class) -> bool:
    """Is ``user`` a student of this (active) class?"""
    if not is_student(user) or not klass.is_active:
        return False
    return Membership.objects.filter(klass=klass, student_id=getattr(user, "pk", None)).exists()


def classes_page_openable(user: object) -> bool:
    """``/classes/`` is for teachers (their classes) and students (the classes they joined)."""
    return is_teacher(user) or is_student(user)


def _base(platform: str | None) -> ClassQuerySet:
    return Class.objects.select_related("teacher").for_platform(platform)


def access_class_for_owner(user: object, class_id: int, *, platform: str | None = None) -> Class:
    """The class, if ``user`` teaches it (or is an administrator); else 404."""
    klass = _base(platform).filter(pk=class_id).first()
    if klass is None or not may_manage(user, klass):
        raise Http404
    return klass


def access_class_for_member(user: object, class_id: int, *, platform: str | None = None) -> Class:
    """The active class, if ``user`` is one of its students; else 404."""
    klass = _base(platform).active().filter(pk=class_id).first()
    if klass is None or not is_member(user, klass):
        raise Http404
    return klass


def access_class_for_viewer(user: object, class_id: int, *, platform: str | None = None) -> Class:
    """The class, for its teacher, an administrator or one of its students; else 404."""
    klass = _base(platform).filter(pk=class_id).first()
    if klass is None or not (may_manage(user, klass) or is_member(user, klass)):
        raise Http404
    return klass


def classes_taught_by(user: object, *, platform: str | None = None) -> ClassQuerySet:
    """The classes ``user`` teaches (archived ones too), each with ``member_count``."""
    if not is_teacher(user):
        return Class.objects.none()
    return (
        Class.objects.filter(teacher_id=getattr(user, "pk", None))
        .for_platform(platform)
        .annotate(member_count=Count("memberships"))
        .order_by("-is_active", "-created_at", "-pk")
    )


def classes_of_student(user: object, *, platform: str | None = None) -> ClassQuerySet:
    """The active classes ``user`` has joined, with their teacher."""
    if not is_student(user):
        return Class.objects.none()
    return (
        Class.objects.active()
        .filter(memberships__student_id=getattr(user, "pk", None))
        .for_platform(platform)
        .select_related("teacher")
        .order_by("-memberships__joined_at", "-pk")
    )
