"""Every write of the question engine (STYLE.md: services do writes).

Keyword-only functions in a transaction; ``ValidationError({field: [messages]})`` for bad input,
``PermissionDenied`` for a role that may not act. Grading rules live in ``grading`` (pure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.accounts.models import User
from smartedu.classes import access as classes_access
from smartedu.classes.models import Class
from smartedu.quizzes import access, grading, registry, selectors
from smartedu.quizzes.models import (
    CLASS_PURPOSES,
    Attempt,
    AttemptAnswer,
    KnowledgePoint,
    Purpose,
    Question,
    Quiz,
    QuizQuestion,
)

# A personal review quiz (wrong-answer book re-attempt) is owned by this kind, with the student's id.
WRONG_BOOK_KIND = "quizzes.wrongbook"
MAX_QUESTIONS = 200
MAX_REVIEW_QUESTIONS = 50
_UNSET: Any = object()


def _text(value: str, *, field: str, max_length: int | None = None, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": max_length}]})
    if "\x00" in value:
        raise ValidationError({field: [_("Null characters are not allowed.")]})
    return value


# --- Knowledge points and questions -------------------------------------------------------------


@transaction.atomic
def knowledge_point_get_or_create(*, platform: str, name: str, subject: str = "") -> KnowledgePoint:
    """The knowledge point of this name (created once, also under concurrent calls)."""
    point, _created = KnowledgePoint.objects.get_or_create(
        platform=platform,
        subject=_text(subject, field="subject", max_length=100, required=False),
        name=_text(name, field="name", max_length=200),
    )
    return point


def _check_shape(*, kind: str, options: Any, answer: str) -> None:
    errors = grading.question_shape_errors(kind=kind, options=options, answer=answer)
    if errors:
        raise ValidationError(errors)


def _check_points(points: Sequence[KnowledgePoint], platform: str) -> None:
    if any(p.platform != platform for p in points):
        raise ValidationError(
            {"knowledge_points": [_("Knowledge points must be of the question's sub-platform.")]}
        )


@transaction.atomic
def question_create(
    *,
    platform: str,
    kind: str,
    prompt: str,
    answer: str,
    options: list[dict[str, str]] | None = None,
    explanation: str = "",
    knowledge_points: Iterable[KnowledgePoint] = (),
    created_by: User | None = None,
    external_ref: str = "",
) -> Question:
    """A new question whose shape fits its kind (``grading.question_shape_errors``)."""
    options = options if options is not None else []
    answer = answer.strip()
    _check_shape(kind=kind, options=options, answer=answer)
    points = list(knowledge_points)
    _check_points(points, platform)
    question = Question.objects.create(
        platform=platform,
        kind=kind,
        prompt=_text(prompt, field="prompt", max_length=5000),
        options=options,
        answer=answer,
        explanation=_text(explanation, field="explanation", max_length=5000, required=False),
        created_by=created_by,
        external_ref=external_ref,
    )
    if points:
        question.knowledge_points.set(points)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    kind: str | None = None,
    prompt: str | None = None,
    options: list[dict[str, str]] | None = None,
    answer: str | None = None,
    explanation: str | None = None,
    knowledge_points: Iterable[KnowledgePoint] | None = None,
) -> Question:
    """Change a question. Past attempts keep the grade they were given."""
    question.kind = kind if kind is not None else question.kind
    question.options = options if options is not None else question.options
    question.answer = answer.strip() if answer is not None else question.answer
    _check_shape(kind=question.kind, options=question.options, answer=question.answer)
    if prompt is not None:
        question.prompt = _text(prompt, field="prompt", max_length=5000)
    if explanation is not None:
        question.explanation = _text(explanation, field="explanation", max_length=5000, required=False)
    question.save()
    if knowledge_points is not None:
        points = list(knowledge_points)
        _check_points(points, question.platform)
        question.knowledge_points.set(points)
    return question


# --- Quizzes ------------------------------------------------------------------------------------


def quiz_window_check(*, purpose: str, opens_at: datetime | None, closes_at: datetime | None) -> None:
    naive = {
        name: [_("Give a time with its time zone.")]
        for name, value in (("opens_at", opens_at), ("closes_at", closes_at))
        if value is not None and timezone.is_naive(value)
    }
    if naive:
        raise ValidationError(naive)
    errors: dict[str, list[str]] = {}
    if purpose in CLASS_PURPOSES and closes_at is None:
        errors["closes_at"] = [_("Set when the test or homework closes.")]
    if purpose == Purpose.IN_CLASS and opens_at is None:
        errors["opens_at"] = [_("Set when the in-class test opens.")]
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = [_("The closing time must come after the opening time.")]
    if errors:
        raise ValidationError(errors)


def _owner_for(owner_ref: str) -> tuple[registry.QuizOwner, int]:
    try:
        kind, owner_id = registry.owner_ref_parse(owner_ref)
    except ValueError as exc:
        raise ValidationError({"owner": [_("An owner reference looks like app.model:id.")]}) from exc
    owner = registry.quiz_owner(kind)
    if owner is None:
        raise ValidationError({"owner": [_("No app has registered this owner type.")]})
    return owner, owner_id


def _attach(quiz: Quiz, questions: Sequence[Question]) -> None:
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, order=order) for order, question in enumerate(questions, 1)
    )


def quiz_check(
    *,
    owner_ref: str,
    questions: Sequence[Question],
    purpose: str = Purpose.PRACTICE,
    klass: Class | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[registry.QuizOwner, int]:
    """The rules of ``quiz_create``, without writing (the admin form asks them before saving)."""
    owner, owner_id = _owner_for(owner_ref)
    if purpose not in Purpose.values or purpose == Purpose.REVIEW:
        raise ValidationError({"purpose": [_("One of: practice, in-class test, homework.")]})
    if purpose in CLASS_PURPOSES:
        if klass is None:
            raise ValidationError({"klass": [_("An in-class test or homework belongs to a class.")]})
        if not klass.is_active:
            raise ValidationError({"klass": [_("This class is archived.")]})
        if owner.platform and klass.platform != owner.platform:
            raise ValidationError({"klass": [_("The class belongs to another sub-platform.")]})
        if created_by is not None and not classes_access.may_manage(created_by, klass):
            raise PermissionDenied(_("Only the class's teacher sets its tests and homework."))
    else:
        if klass is not None:
            raise ValidationError({"klass": [_("Only in-class tests and homework belong to a class.")]})
        if created_by is not None and not (
            classes_access.is_admin(created_by) or owner.may_manage(created_by, owner_id)
        ):
            raise PermissionDenied(_("You may not add quizzes to this content."))
    quiz_window_check(purpose=purpose, opens_at=opens_at, closes_at=closes_at)
    ids = [q.pk for q in questions]
    if not ids:
        raise ValidationError({"questions": [_("A quiz needs at least one question.")]})
    if len(ids) > MAX_QUESTIONS:
        raise ValidationError({"questions": [_("At most %(n)d questions.") % {"n": MAX_QUESTIONS}]})
    if len(set(ids)) != len(ids):
        raise ValidationError({"questions": [_("A question appears twice.")]})
    if owner.platform and any(q.platform != owner.platform for q in questions):
        raise ValidationError({"questions": [_("Every question must be of the quiz's sub-platform.")]})
    return owner, owner_id


@transaction.atomic
def quiz_create(
    *,
    owner_ref: str,
    title: str,
    questions: Sequence[Question],
    purpose: str = Purpose.PRACTICE,
    klass: Class | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    created_by: User | None = None,
) -> Quiz:
    """A quiz of ``questions`` (in that order) attached to the content ``owner_ref``.

    In-class tests and homework belong to ``klass`` (of the owner's sub-platform) and need a window;
    practice quizzes have no class. ``created_by`` must manage the class (or, without a class, the
    owner); ``None`` is a call by the owning app itself, which has checked its own rules.
    """
    questions = list(questions)
    owner, owner_id = quiz_check(
        owner_ref=owner_ref,
        questions=questions,
        purpose=purpose,
        klass=klass,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    quiz = Quiz.objects.create(
        owner_kind=owner.kind,
        owner_id=owner_id,
        platform=owner.platform,
        title=_text(title, field="title", max_length=200),
        purpose=purpose,
        klass=klass,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    _attach(quiz, questions)
    return quiz


@transaction.atomic
def quiz_update(
    *,
    user: User,
    quiz: Quiz,
    title: str | None = None,
    opens_at: datetime | None = _UNSET,
    closes_at: datetime | None = _UNSET,
    is_active: bool | None = None,
) -> Quiz:
    """Rename a quiz, move its window or withdraw it (whoever manages it)."""
    if not access.quiz_manageable_by(user, quiz):
        raise PermissionDenied(_("You may not change this quiz."))
    if title is not None:
        quiz.title = _text(title, field="title", max_length=200)
    if opens_at is not _UNSET:
        quiz.opens_at = opens_at
    if closes_at is not _UNSET:
        quiz.closes_at = closes_at
    quiz_window_check(purpose=quiz.purpose, opens_at=quiz.opens_at, closes_at=quiz.closes_at)
    if is_active is not None:
        quiz.is_active = is_active
    quiz.save()
    return quiz


@transaction.atomic
def quiz_deactivate_for_owner(*, owner_ref: str) -> int:
    """Withdraw every quiz of a piece of content (its app calls this when the content goes away)."""
    kind, owner_id = registry.owner_ref_parse(owner_ref)
    return Quiz.objects.for_owner(kind, owner_id).filter(is_active=True).update(is_active=False)


# --- Attempts -----------------------------------------------------------------------------------


def _existing_attempt(*, quiz: Quiz, student: User, client_token: str) -> Attempt | None:
    if client_token:
        found = Attempt.objects.filter(quiz=quiz, student=student, client_token=client_token).first()
        if found is not None:
            return found
    if quiz.is_class_bound:
        return Attempt.objects.filter(quiz=quiz, student=student).first()
    return None


@transaction.atomic
def attempt_submit(
    *,
    student: User,
    quiz: Quiz,
    answers: Mapping[int, str],
    client_token: str = "",
    now: datetime | None = None,
) -> tuple[Attempt, bool]:
    """Grade a student's answers to every question of ``quiz`` and keep them: ``(attempt, created)``.

    * Students only, and only those who may see the quiz (class members for in-class tests and
      homework): ``PermissionDenied``.
    * The same ``client_token`` again, or a second submission of a class-bound quiz, returns the
      attempt already made (``created`` is False) and writes nothing — also when two arrive at once
      (unique constraints; the loser of the race reads the winner's row).
    * Outside the quiz's window, answers to other questions, unanswered questions or impossible values:
      ``ValidationError`` naming them, and nothing is written.
    """
    if not classes_access.is_student(student) or not access.quiz_visible_to(student, quiz):
        raise PermissionDenied(_("Only students who may see this quiz submit answers."))
    client_token = client_token.strip()
    if len(client_token) > 64:
        raise ValidationError({"client_token": [_("At most %(n)d characters.") % {"n": 64}]})
    existing = _existing_attempt(quiz=quiz, student=student, client_token=client_token)
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    if quiz.opens_at and now < quiz.opens_at:
        raise ValidationError({"quiz": [_("This quiz is not open yet.")]})
    if quiz.closes_at and now > quiz.closes_at:
        raise ValidationError({"quiz": [_("This quiz closed; answers are no longer accepted.")]})
    questions = selectors.quiz_questions(quiz=quiz)
    result, messages = grading.grade(questions=questions, answers=answers)
    if result is None:
        raise ValidationError({"answers": messages})
    by_id = {q.pk: q for q in questions}
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                student=student,
                purpose=quiz.purpose,
                klass_id=quiz.klass_id,
                client_token=client_token,
                correct_count=result.correct_count,
                question_count=result.question_count,
                score=result.score,
                submitted_at=now,
            )
            AttemptAnswer.objects.bulk_create(
                AttemptAnswer(
                    attempt=attempt,
                    question=by_id[graded.question_id],
                    student=student,
                    answered_at=now,
                    order=order,
                    given=graded.given,
                    is_correct=graded.is_correct,
                )
                for order, graded in enumerate(result.answers, start=1)
            )
    except IntegrityError:
        existing = _existing_attempt(quiz=quiz, student=student, client_token=client_token)
        if existing is None:
            raise
        return existing, False
    return attempt, True


# --- The wrong-answer book ----------------------------------------------------------------------


@transaction.atomic
def review_quiz_start(
    *, student: User, platform: str | None = None, question_ids: Sequence[int] | None = None
) -> Quiz:
    """A review quiz of the student's wrong answers (all, or the chosen ones among them), for an
    after-class review; attempts at it are recorded with the purpose ``review``.

    Starting again before attempting the previous review of the same questions returns that one.
    """
    if not classes_access.is_student(student):
        raise PermissionDenied(_("Only students have a wrong-answer book."))
    wrong = selectors.wrong_question_ids(student=student, platform=platform)
    if question_ids is not None:
        foreign = sorted(set(question_ids) - set(wrong))
        if foreign:
            raise ValidationError(
                {
                    "questions": [
                        _("Not in your wrong-answer book: %(ids)s.") % {"ids": ", ".join(map(str, foreign))}
                    ]
                }
            )
        chosen = list(dict.fromkeys(question_ids))
    else:
        chosen = wrong
    chosen = chosen[:MAX_REVIEW_QUESTIONS]
    if not chosen:
        raise ValidationError({"questions": [_("Your wrong-answer book is empty.")]})
    previous = (
        Quiz.objects.filter(owner_kind=WRONG_BOOK_KIND, owner_id=student.pk, student=student, is_active=True)
        .exclude(attempts__isnull=False)
        .prefetch_related("quiz_questions")
        .order_by("-pk")
        .first()
    )
    if previous is not None and [qq.question_id for qq in previous.quiz_questions.all()] == chosen:
        return previous
    questions = Question.objects.in_bulk(chosen)
    quiz = Quiz.objects.create(
        owner_kind=WRONG_BOOK_KIND,
        owner_id=student.pk,
        platform=platform or "",
        title=_("Wrong-answer review"),
        purpose=Purpose.REVIEW,
        student=student,
        created_by=student,
    )
    _attach(quiz, [questions[pk] for pk in chosen])
    return quiz
