"""Who may do what on the K-12 sub-platform: one function per rule (Zulip's ``access_*`` helpers).

Views, the API (through ``IsStudent``), the services, the templates (through the context the views build)
and the navigation call these; none writes its own role test. A forbidden object and a missing one answer
alike (404); an action the user's role may not take is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from k12.models import Lesson, PrepPlan
from smartedu.accounts.models import Role
from smartedu.classes import access as classes_access
from smartedu.classes.models import Class
from smartedu.guardians import access as guardians_access

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


def my_learning_openable(user: object) -> bool:
    """ "我的" on K-12: a student's learning page, a teacher's page; a parent has none of their own (their
    page is the family page, with each child's record)."""
    return has_own_learning(user) and getattr(user, "role", None) != Role.PARENT


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


# --- Teachers: the teacher view of a lesson, preparation plans, homework -------------------------


def can_teach(user: object) -> bool:
    """Active teachers see answers and explanations, prepare lessons and set homework."""
    return has_own_learning(user) and getattr(user, "role", None) == Role.TEACHER


def lesson_teacher_view(user: object, lesson_id: int) -> bool:
    """The teacher view of a (visible) lesson: every answer and explanation, the teaching design
    expanded, materials to download. Also what lets a teacher manage the lesson's practice quizzes."""
    return can_teach(user) and Lesson.objects.visible().filter(pk=lesson_id).exists()


def check_can_teach(user: object) -> None:
    if not can_teach(user):
        raise PermissionDenied(_("Only teachers prepare lessons and set homework."))


def _colleagues(user: object) -> Q:
    """Teachers of the same school (the same, non-empty institution)."""
    institution = (getattr(user, "institution", "") or "").strip()
    if not institution:
        return Q(pk__in=[])
    return Q(owner__institution=institution, owner__role=Role.TEACHER, owner__is_active=True)


def prep_plans_readable(user: object) -> QuerySet[PrepPlan]:
    """A teacher's own plans and the plans colleagues of the same school share."""
    if not can_teach(user):
        return PrepPlan.objects.none()
    return PrepPlan.objects.filter(
        Q(owner_id=getattr(user, "pk", None)) | (Q(is_shared=True) & _colleagues(user))
    )


def access_plan_for_owner(user: object, plan_id: int) -> PrepPlan:
    """A plan, for its owner (a teacher); 404 for anyone else and for a missing one."""
    plan = PrepPlan.objects.select_related("owner", "klass").filter(pk=plan_id).first()
    if plan is None or not can_teach(user) or plan.owner_id != getattr(user, "pk", None):
        raise Http404
    return plan


def access_plan_for_reader(user: object, plan_id: int) -> PrepPlan:
    """A plan, for its owner or a colleague it is shared with; 404 otherwise (private plans stay private)."""
    plan = prep_plans_readable(user).select_related("owner", "klass").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def access_homework_class(user: object, class_id: int) -> Class:
    """One of the teacher's own active K-12 classes; 404 for another teacher's or another platform's class."""
    check_can_teach(user)
    klass = classes_access.access_class_for_owner(user, class_id, platform="k12")
    if not klass.is_active:
        raise Http404
    return klass


# --- Parents: a linked child's learning record --------------------------------------------------


def access_child_record(user: object, child_id: int) -> User:
    """A linked parent reads the child's K-12 learning record; 404 for anyone else (another parent, the
    child's teacher, the child itself through this page)."""
    return guardians_access.access_child_for_parent(user, child_id)


def child_record_openable(user: object) -> bool:
    return guardians_access.is_parent(user)


def may_keep_personal_data(user: object) -> bool:
    """Favourites and the lessons a user opened are more than account and learning records: a student under
    14 needs a linked guardian's consent before they are kept (PIPL)."""
    return guardians_access.personal_data_allowed(user)
