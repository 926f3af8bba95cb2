"""Who may open, attempt and read the results of a quiz: one place, asked by every view, API and tag.

A quiz is visible when it is in use, its owner kind is registered and its owner says the user may see it
(``registry.QuizOwner.may_view``); a class-bound quiz (in-class test, homework) is visible only to the
members of its class and to the class's teacher. Administrators see every quiz in use. A missing quiz and
a forbidden one answer alike (404); a visible quiz that the user may not attempt (not a student) is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from smartedu.classes import access as classes_access
from smartedu.quizzes import registry
from smartedu.quizzes.models import Attempt, Quiz


def quiz_visible_to(user: object, quiz: Quiz) -> bool:
    if not quiz.is_active:
        return False
    owner = registry.quiz_owner(quiz.owner_kind)
    if owner is None:
        return False
    if classes_access.is_admin(user):
        return True
    if quiz.is_class_bound:
        klass = quiz.klass
        if klass is None:
            return False
        if not (classes_access.may_manage(user, klass) or classes_access.is_member(user, klass)):
            return False
    return bool(owner.may_view(user, quiz.owner_id))


def quiz_manageable_by(user: object, quiz: Quiz) -> bool:
    """May ``user`` see the answers and everyone's results? The class's teacher for a class-bound quiz,
    whoever the owner says manages it otherwise, and administrators."""
    if classes_access.is_admin(user):
        return True
    if quiz.is_class_bound:
        return quiz.klass is not None and classes_access.may_manage(user, quiz.klass)
    owner = registry.quiz_owner(quiz.owner_kind)
    return owner is not None and bool(owner.may_manage(user, quiz.owner_id))


def may_attempt(user: object, quiz: Quiz) -> bool:
    """Students attempt quizzes; for a class-bound one only its members (visibility says so)."""
    return classes_access.is_student(user) and quiz_visible_to(user, quiz)


def _quiz(quiz_id: int) -> Quiz | None:
    return Quiz.objects.select_related("klass", "klass__teacher").filter(pk=quiz_id).first()


def access_quiz_for_view(user: object, quiz_id: int) -> Quiz:
    quiz = _quiz(quiz_id)
    if quiz is None or not quiz_visible_to(user, quiz):
        raise Http404
    return quiz


def access_quiz_for_attempt(user: object, quiz_id: int) -> Quiz:
    """The quiz, if ``user`` may submit an attempt: 404 if they may not see it, 403 if not a student."""
    quiz = access_quiz_for_view(user, quiz_id)
    if not classes_access.is_student(user):
        raise PermissionDenied(_("Only students submit answers."))
    return quiz


def access_quiz_for_results(user: object, quiz_id: int) -> Quiz:
    quiz = _quiz(quiz_id)
    if quiz is None or not quiz.is_active or not quiz_manageable_by(user, quiz):
        raise Http404
    return quiz


def access_attempt(user: object, attempt_id: int) -> Attempt:
    """An attempt, for the student who made it or whoever manages its quiz; else 404."""
    attempt = Attempt.objects.select_related("quiz", "quiz__klass", "student").filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    if attempt.student_id == getattr(user, "pk", None) and classes_access.is_student(user):
        return attempt
    if quiz_manageable_by(user, attempt.quiz):
        return attempt
    raise Http404


def wrong_answer_book_openable(user: object) -> bool:
    """The wrong-answer book (错题本) is a student's own."""
    return classes_access.is_student(user)
