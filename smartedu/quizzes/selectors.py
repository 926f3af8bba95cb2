"""Reads of the question engine, in a fixed number of queries (STYLE.md: selectors do reads).

"Latest answer" is always the same rule: of a student's answers to one question (within the filters
given), the one with no later answer — ``NOT EXISTS`` a newer row, on the index
(student, question, answered_at). The wrong-answer book, mastery and quiz results all go through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from smartedu.accounts.models import User
from smartedu.classes.models import Membership
from smartedu.quizzes.models import (
    Attempt,
    AttemptAnswer,
    KnowledgePoint,
    Purpose,
    Question,
    Quiz,
    QuizQuestion,
)

# --- Quizzes and their questions ----------------------------------------------------------------


def quiz_questions(*, quiz: Quiz) -> list[Question]:
    """The questions of a quiz in order, with their knowledge points (2 queries)."""
    rows = (
        QuizQuestion.objects.filter(quiz=quiz)
        .select_related("question")
        .prefetch_related("question__knowledge_points")
        .order_by("order")
    )
    return [row.question for row in rows]


def quizzes_for_owner(*, kind: str, owner_id: int) -> QuerySet[Quiz]:
    """The quizzes in use attached to one piece of content (for the owning app's page)."""
    return Quiz.objects.visible().for_owner(kind, owner_id).select_related("klass").order_by("pk")


def quizzes_of_class(*, klass_id: int) -> QuerySet[Quiz]:
    return Quiz.objects.visible().filter(klass_id=klass_id).order_by("-closes_at", "-pk")


def _answers_prefetch() -> Prefetch:
    return Prefetch(
        "answers",
        queryset=AttemptAnswer.objects.select_related("question").order_by("order", "pk"),
    )


def attempt_list(*, student: Any, quiz: Quiz) -> QuerySet[Attempt]:
    """A student's attempts at a quiz, newest first, with their graded answers (2 queries a page)."""
    return (
        Attempt.objects.filter(student_id=student.pk, quiz=quiz)
        .select_related("quiz")
        .prefetch_related(_answers_prefetch())
        .order_by("-submitted_at", "-pk")
    )


def attempt_get(*, pk: int) -> Attempt | None:
    return (
        Attempt.objects.select_related("quiz", "student")
        .prefetch_related(_answers_prefetch())
        .filter(pk=pk)
        .first()
    )


def attempt_latest(*, student: Any, quiz: Quiz) -> Attempt | None:
    if not getattr(student, "is_authenticated", False):
        return None
    return attempt_list(student=student, quiz=quiz).first()


# --- Latest answers: the wrong-answer book and mastery ------------------------------------------


def _answers(
    *,
    student_ids: Iterable[int] | None = None,
    platform: str | None = None,
    quiz_ids: Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[AttemptAnswer]:
    qs = AttemptAnswer.objects.all()
    if student_ids is not None:
        qs = qs.filter(student_id__in=list(student_ids))
    if platform:
        qs = qs.filter(question__platform=platform)
    if quiz_ids is not None:
        qs = qs.filter(attempt__quiz_id__in=list(quiz_ids))
    if start is not None:
        qs = qs.filter(answered_at__gte=start)
    if end is not None:
        qs = qs.filter(answered_at__lt=end)
    return qs


def latest_answers(**filters: Any) -> QuerySet[AttemptAnswer]:
    """Each student's latest answer to each question, among the answers the filters keep
    (``student_ids``, ``platform``, ``quiz_ids``, ``start`` ≤ answered_at < ``end``)."""
    base = _answers(**filters)
    newer = (
        _answers(**filters)
        .filter(student_id=OuterRef("student_id"), question_id=OuterRef("question_id"))
        .filter(
            Q(answered_at__gt=OuterRef("answered_at"))
            | Q(answered_at=OuterRef("answered_at"), pk__gt=OuterRef("pk"))
        )
    )
    return base.filter(~Exists(newer))


def wrong_answers(*, student: Any, platform: str | None = None) -> QuerySet[AttemptAnswer]:
    """The wrong-answer book (错题本): the questions whose latest answer by ``student`` was wrong, most
    recent first, each with ``wrong_times`` (how often the student got it wrong)."""
    wrong_times = (
        AttemptAnswer.objects.filter(
            student_id=OuterRef("student_id"), question_id=OuterRef("question_id"), is_correct=False
        )
        .order_by()
        .values("question_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        latest_answers(student_ids=[student.pk], platform=platform)
        .filter(is_correct=False)
        .select_related("question", "attempt__quiz")
        .annotate(wrong_times=Subquery(wrong_times))
        .order_by("-answered_at", "-pk")
    )


def wrong_question_ids(*, student: Any, platform: str | None = None) -> list[int]:
    return list(
        latest_answers(student_ids=[student.pk], platform=platform)
        .filter(is_correct=False)
        .order_by("-answered_at", "-pk")
        .values_list("question_id", flat=True)
    )


@dataclass(frozen=True)
class MasteryRow:
    """A student's latest answers to the questions of one knowledge point."""

    student_id: int
    knowledge_point_id: int
    answered: int
    correct: int

    @property
    def rate(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def mostly_correct(self) -> bool:
        """More than half of the latest answers are right (the knowledge mastery rule of issue 9)."""
        return self.correct * 2 > self.answered


def knowledge_point_mastery(
    *,
    student_ids: Iterable[int],
    platform: str | None = None,
    quiz_ids: Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[MasteryRow]:
    """Per student and knowledge point: how many questions of that point the student answered (latest
    answer each, within the filters) and how many of those latest answers were right. One query."""
    rows = (
        latest_answers(student_ids=student_ids, platform=platform, quiz_ids=quiz_ids, start=start, end=end)
        .filter(question__knowledge_points__isnull=False)
        .order_by()
        .values("student_id", "question__knowledge_points")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("student_id", "question__knowledge_points")
    )
    return [
        MasteryRow(
            student_id=row["student_id"],
            knowledge_point_id=row["question__knowledge_points"],
            answered=row["answered"],
            correct=row["correct"],
        )
        for row in rows
    ]


def knowledge_points(*, ids: Iterable[int]) -> dict[int, KnowledgePoint]:
    return KnowledgePoint.objects.in_bulk(list(ids))


# --- Class activity -----------------------------------------------------------------------------


def class_test_takers(
    *, klass_id: int, start: datetime, end: datetime, purposes: Iterable[str] = (Purpose.IN_CLASS,)
) -> set[int]:
    """The students who submitted an in-class test of the class in ``start`` ≤ time < ``end``."""
    return set(
        Attempt.objects.filter(
            klass_id=klass_id, purpose__in=list(purposes), submitted_at__gte=start, submitted_at__lt=end
        )
        .values_list("student_id", flat=True)
        .distinct()
    )


def review_attempts(*, student_ids: Iterable[int], start: datetime, end: datetime) -> QuerySet[Attempt]:
    """After-class review re-attempts (of wrong answers) in a period."""
    return Attempt.objects.filter(
        student_id__in=list(student_ids),
        purpose=Purpose.REVIEW,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )


# --- Results of one quiz (for its teacher) ------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    position: int
    answered: int = 0
    correct: int = 0

    @property
    def wrong(self) -> int:
        return self.answered - self.correct

    @property
    def rate(self) -> int:
        """Per cent right, rounded (0 when nobody answered)."""
        return round(100 * self.correct / self.answered) if self.answered else 0


@dataclass
class StudentResult:
    student: User
    attempts: int = 0
    latest_score: int | None = None
    best_score: int | None = None
    last_submitted_at: datetime | None = None
    latest_attempt_id: int | None = None


@dataclass
class QuizResults:
    quiz: Quiz
    questions: list[QuestionResult]
    students: list[StudentResult]
    missing: list[User] = field(default_factory=list)

    @property
    def most_missed(self) -> list[QuestionResult]:
        """The questions most often answered wrong (wrong at least once), worst first."""
        missed = [q for q in self.questions if q.wrong]
        return sorted(missed, key=lambda q: (-q.wrong, q.rate, q.position))[:5]

    @property
    def submitted(self) -> int:
        return sum(1 for s in self.students if s.attempts)


def _latest_attempts(quiz: Quiz) -> QuerySet[Attempt]:
    newer = Attempt.objects.filter(quiz=quiz, student_id=OuterRef("student_id")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    return Attempt.objects.filter(quiz=quiz).filter(~Exists(newer))


def quiz_missing_students(*, quiz: Quiz) -> list[User]:
    """The class's students who have not submitted (class-bound quizzes; others have no roster)."""
    if not quiz.is_class_bound or quiz.klass_id is None:
        return []
    submitted = Attempt.objects.filter(quiz=quiz, student_id=OuterRef("pk"))
    return list(
        User.objects.filter(class_memberships__klass_id=quiz.klass_id)
        .filter(~Exists(submitted))
        .order_by("username")
    )


def quiz_results(*, quiz: Quiz) -> QuizResults:
    """Results per question and per student, who has not submitted, and the most-missed questions.

    Each student counts with their latest attempt (a class-bound quiz has one per student). Six queries,
    whatever the class size.
    """
    latest = _latest_attempts(quiz)
    per_question = {
        row["question_id"]: row
        for row in AttemptAnswer.objects.filter(attempt__in=latest.values("pk"))
        .order_by()
        .values("question_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    questions = [
        QuestionResult(
            question=question,
            position=position,
            answered=per_question.get(question.pk, {}).get("answered", 0),
            correct=per_question.get(question.pk, {}).get("correct", 0),
        )
        for position, question in enumerate(quiz_questions(quiz=quiz), start=1)
    ]
    latest_by_student = {a.student_id: a for a in latest}
    stats = {
        row["student_id"]: row
        for row in Attempt.objects.filter(quiz=quiz)
        .order_by()
        .values("student_id")
        .annotate(n=Count("pk"), best=Max("score"))
    }
    if quiz.is_class_bound and quiz.klass_id is not None:
        # The class's students, and anyone who submitted and has left the class since.
        roster = User.objects.filter(
            Q(Exists(Membership.objects.filter(klass_id=quiz.klass_id, student_id=OuterRef("pk"))))
            | Q(pk__in=list(stats))
        )
    else:
        roster = User.objects.filter(pk__in=list(stats))
    students = []
    for user in roster.order_by("username"):
        attempt = latest_by_student.get(user.pk)
        students.append(
            StudentResult(
                student=user,
                attempts=stats.get(user.pk, {}).get("n", 0),
                latest_score=attempt.score if attempt else None,
                best_score=stats.get(user.pk, {}).get("best"),
                last_submitted_at=attempt.submitted_at if attempt else None,
                latest_attempt_id=attempt.pk if attempt else None,
            )
        )
    missing = [s.student for s in students if not s.attempts] if quiz.is_class_bound else []
    return QuizResults(quiz=quiz, questions=questions, students=students, missing=missing)
