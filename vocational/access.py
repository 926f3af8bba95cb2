"""Who may do what on the vocational platform: one function per rule, asked by views, the API, the admin,
the navigation and the quiz-owner registration.

A course or resource the user may not see answers like a missing one (404); a visible course that the user
may not change answers 403 (``PermissionDenied``), and so does a fork by anyone but a teacher.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from smartedu.classes import access as classes_access
from smartedu.classes.models import Membership
from vocational.models import FORKABLE_KINDS, Course, CourseKind, Item, Resource

is_teacher = classes_access.is_teacher
is_student = classes_access.is_student
is_admin = classes_access.is_admin


def _uid(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def in_scope(user: Any, province_id: int | None) -> bool:
    """An administrator's scope: the ministry sees every province, a provincial admin their own."""
    if not is_admin(user):
        return False
    scope = user.scope_province_id
    return scope is None or scope == province_id


def member_class_ids(user: Any) -> list[int]:
    if not is_student(user):
        return []
    return list(
        Membership.objects.filter(
            student_id=_uid(user), klass__is_active=True, klass__platform="vocational"
        ).values_list("klass_id", flat=True)
    )


# --- Courses ------------------------------------------------------------------------------------------


def course_owned(user: Any, course: Course) -> bool:
    return course.is_personal and course.owner_id is not None and course.owner_id == _uid(user)


def course_is_students(user: Any, course: Course) -> bool:
    """Is ``user`` a student of a class this personalised course is published to?"""
    if not is_student(user) or not course.is_personal or not course.is_published:
        return False
    return course.publications.filter(
        klass__memberships__student_id=_uid(user), klass__is_active=True
    ).exists()


def course_visible(user: Any, course: Course) -> bool:
    if not course.is_personal:
        return course.is_published or is_admin(user)
    return course_owned(user, course) or is_admin(user) or course_is_students(user, course)


def course_editable(user: Any, course: Course) -> bool:
    """Personalised courses: their owner and administrators. Library courses: administrators (their edits
    become upstream changes for every copy)."""
    if course.is_personal:
        return course_owned(user, course) or (is_admin(user) and in_scope(user, _owner_province(course)))
    return is_admin(user) and user.scope_province_id is None


def _owner_province(course: Course) -> int | None:
    owner = course.owner
    return owner.province_id if owner is not None else None


def access_course_for_view(user: Any, course_id: int) -> Course:
    course = Course.objects.select_related("owner", "specialty", "source").filter(pk=course_id).first()
    if course is None or not course_visible(user, course):
        raise Http404
    return course


def access_course_for_edit(user: Any, course_id: int) -> Course:
    """The course, if ``user`` may change it: 404 if they may not see it, 403 if they may only read it."""
    course = access_course_for_view(user, course_id)
    if not course_editable(user, course):
        raise PermissionDenied(_("Only the owner of this course may change it."))
    return course


def fork_allowed(user: Any) -> bool:
    return is_teacher(user)


def access_course_for_fork(user: Any, course_id: int) -> Course:
    course = access_course_for_view(user, course_id)
    if not fork_allowed(user):
        raise PermissionDenied(_("Only teachers copy courses."))
    if course.kind not in FORKABLE_KINDS:
        raise PermissionDenied(_("Only standard and demonstration courses are copied."))
    return course


def metrics_openable(user: Any, course: Course) -> bool:
    """The four rates of a course: its owner, and administrators of its scope."""
    return course_owned(user, course) or (is_admin(user) and in_scope(user, _owner_province(course)))


def access_course_for_metrics(user: Any, course_id: int) -> Course:
    course = Course.objects.select_related("owner").filter(pk=course_id, kind=CourseKind.PERSONAL).first()
    if course is None or not metrics_openable(user, course):
        raise Http404
    return course


def shows_hidden(user: Any, course: Course) -> bool:
    """Hidden units and items show to those who edit the course; students see the visible ones only."""
    return course_editable(user, course)


def my_courses_openable(user: Any) -> bool:
    """``/vocational/me/``: a teacher's personalised courses, a student's class courses."""
    return is_teacher(user) or is_student(user)


def admin_rates_openable(user: Any) -> bool:
    return is_admin(user)


# --- Items and resources ------------------------------------------------------------------------------


def access_item_for_view(user: Any, item_id: int) -> Item:
    item = (
        Item.objects.select_related("unit__course__owner", "unit__course__specialty", "resource")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    course = item.unit.course
    if not course_visible(user, course):
        raise Http404
    if (item.hidden or item.unit.hidden) and not shows_hidden(user, course):
        raise Http404
    return item


def resource_visible(user: Any, resource_id: int) -> bool:
    """Library resources when published; a teacher's own resource for the teacher, administrators and the
    students of a class whose course holds it (visibly)."""
    resource = Resource.objects.filter(pk=resource_id).only("owner_id", "is_published", "library_id").first()
    if resource is None:
        return False
    if resource.owner_id is None:
        return Resource.objects.visible().filter(pk=resource_id).exists() or is_admin(user)
    if resource.owner_id == _uid(user) or is_admin(user):
        return True
    classes = member_class_ids(user)
    if not classes:
        return False
    return Item.objects.filter(
        Q(resource_id=resource_id, hidden=False, unit__hidden=False)
        & Q(unit__course__publications__klass_id__in=classes, unit__course__is_published=True)
    ).exists()


def resource_manageable(user: Any, resource_id: int) -> bool:
    """Whoever owns a resource manages its quizzes (sees answers and results); administrators too."""
    if is_admin(user):
        return True
    uid = _uid(user)
    return uid is not None and Resource.objects.filter(pk=resource_id, owner_id=uid).exists()


def access_resource_for_view(user: Any, resource_id: int) -> Resource:
    if not resource_visible(user, resource_id):
        raise Http404
    return Resource.objects.select_related("library__specialty").get(pk=resource_id)


def rating_allowed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def upload_allowed(user: Any) -> bool:
    return is_teacher(user)
