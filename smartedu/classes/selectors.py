"""Reads of classes and memberships, in a fixed number of queries (STYLE.md: selectors do reads)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from smartedu.classes.models import Class, ClassQuerySet, Membership


def class_list_for(user: object, *, platform: str | None = None) -> ClassQuerySet:
    """The classes ``user`` teaches or has joined ("mine"), with member counts and their teacher."""
    user_id = getattr(user, "pk", None)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Class.objects.none()
    joined = Membership.objects.filter(klass=OuterRef("pk"), student_id=user_id)
    return (
        Class.objects.for_platform(platform)
        .annotate(is_joined=Exists(joined))
        .filter(Q(teacher_id=user_id) | Q(is_joined=True, is_active=True))
        .select_related("teacher")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-is_active", "-created_at", "-pk")
    )


def class_with_member_count(*, klass: Class) -> int:
    return Membership.objects.filter(klass=klass).count()


def class_members(*, klass: Class) -> QuerySet[Membership]:
    """The students of a class, oldest first, with their accounts."""
    return Membership.objects.filter(klass=klass).select_related("student").order_by("joined_at", "pk")


def class_member_ids(*, klass_id: int) -> set[int]:
    return set(Membership.objects.filter(klass_id=klass_id).values_list("student_id", flat=True))


def class_count_for_platform(*, platform: str) -> int:
    return Class.objects.active().filter(platform=platform).count()
