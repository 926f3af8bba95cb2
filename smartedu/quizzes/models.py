"""One question engine: knowledge points, questions, quizzes attached to any content, graded attempts.

Questions are a bank: a quiz lists some of them in order (``QuizQuestion``), so a lesson's exercises, a
teacher's homework made of a subset of them and a student's wrong-answer review share the same rows,
and "the student's latest answer to this question" means the same thing everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartedu.quizzes import grading


class KnowledgePoint(models.Model):
    """A knowledge point (知识点) of one sub-platform, optionally within a subject or specialty."""

    platform = models.CharField(_("sub-platform"), max_length=20)
    subject = models.CharField(_("subject or specialty"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["platform", "subject", "name"]
        verbose_name = _("knowledge point")
        verbose_name_plural = _("knowledge points")
        constraints = [
            models.UniqueConstraint(fields=["platform", "subject", "name"], name="quizzes_kp_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.name}" if self.subject else self.name


class QuestionKind(models.TextChoices):
    SINGLE = grading.SINGLE, _("Single choice")
    MULTIPLE = grading.MULTIPLE, _("Multiple choice")
    TRUE_FALSE = grading.TRUE_FALSE, _("True or false")
    FILL_IN = grading.FILL_IN, _("Fill in the blank")


class Question(models.Model):
    """A question; ``options`` and ``answer`` follow the formats of ``grading`` (never shown before an
    attempt, except to those who manage the quiz)."""

    platform = models.CharField(_("sub-platform"), max_length=20, db_index=True)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=grading.MAX_ANSWER_LENGTH)
    explanation = models.TextField(_("explanation"), blank=True)
    knowledge_points = models.ManyToManyField(
        KnowledgePoint, verbose_name=_("knowledge points"), blank=True, related_name="questions"
    )
    external_ref = models.CharField(
        _("source reference"),
        max_length=80,
        blank=True,
        help_text=_("Where a migrated question came from, e.g. k12.question:42."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"], condition=~models.Q(external_ref=""), name="quizzes_question_ref"
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:60]


class Purpose(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    REVIEW = "review", _("Review")
    IN_CLASS = "in_class", _("In-class test")
    HOMEWORK = "homework", _("Homework")


# Purposes bound to a class: members only, one attempt per student, inside a window the teacher sets.
CLASS_PURPOSES = (Purpose.IN_CLASS, Purpose.HOMEWORK)


class QuizQuerySet(models.QuerySet["Quiz"]):
    def visible(self) -> QuizQuerySet:
        """Quizzes in use (not withdrawn). Who may open one is ``access.quiz_visible_to``."""
        return self.filter(is_active=True)

    def for_owner(self, kind: str, owner_id: int) -> QuizQuerySet:
        return self.filter(owner_kind=kind, owner_id=owner_id)


class Quiz(models.Model):
    """Questions attached to any content (``owner_kind:owner_id``), for practice, review or a class.

    An in-class test or homework belongs to a class and opens/closes when its teacher says; a review quiz
    is a student's own re-attempt of their wrong answers (``student``).
    """

    owner_kind = models.CharField(_("owner type"), max_length=60)
    owner_id = models.PositiveBigIntegerField(_("owner id"))
    platform = models.CharField(_("sub-platform"), max_length=20, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.PRACTICE)
    klass = models.ForeignKey(
        "classes.Class",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quizzes",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_quizzes",
        help_text=_("The student whose wrong-answer review this is."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    questions: models.ManyToManyField[Question, QuizQuestion] = models.ManyToManyField(
        Question, through="QuizQuestion", related_name="quizzes", verbose_name=_("questions")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        indexes = [
            models.Index(fields=["owner_kind", "owner_id"], name="quizzes_quiz_owner"),
            models.Index(fields=["klass", "purpose", "closes_at"], name="quizzes_quiz_class"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose__in=CLASS_PURPOSES)
                | models.Q(klass__isnull=False, closes_at__isnull=False),
                name="quizzes_quiz_class_needs_window",
            ),
            models.CheckConstraint(
                condition=~models.Q(purpose=Purpose.IN_CLASS) | models.Q(opens_at__isnull=False),
                name="quizzes_quiz_in_class_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="quizzes_quiz_window_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(purpose=Purpose.REVIEW) | models.Q(student__isnull=False),
                name="quizzes_quiz_review_student",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_ref(self) -> str:
        return f"{self.owner_kind}:{self.owner_id}"

    @property
    def is_class_bound(self) -> bool:
        return self.purpose in CLASS_PURPOSES

    def is_open(self, at: object = None) -> bool:
        """Inside its window (quizzes without one are always open)."""
        now = at or timezone.now()
        if self.opens_at and now < self.opens_at:  # type: ignore[operator]
            return False
        return not (self.closes_at and now > self.closes_at)  # type: ignore[operator]


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="quiz_questions")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["quiz", "order"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quizzes_quiz_question_unique"),
            models.UniqueConstraint(fields=["quiz", "order"], name="quizzes_quiz_question_order"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}#{self.order}"


class Attempt(models.Model):
    """A student's graded answers to every question of a quiz.

    ``purpose`` and ``klass`` repeat the quiz's, so that statistics (who took an in-class test, review
    re-attempts) read one table. ``client_token`` is the client's idempotency key: the same token twice
    is one attempt. A class-bound quiz takes one attempt per student (a partial unique constraint).
    """

    # RESTRICT, not PROTECT: deleting a student deletes their review quizzes together with their attempts.
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.RESTRICT, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    klass = models.ForeignKey(
        "classes.Class",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
    )
    client_token = models.CharField(_("client token"), max_length=64, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(
        _("score"), help_text=_("Per cent of the questions answered right.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["quiz", "student", "-submitted_at"], name="quizzes_attempt_quiz"),
            models.Index(fields=["student", "-submitted_at"], name="quizzes_attempt_student"),
            models.Index(fields=["klass", "purpose", "submitted_at"], name="quizzes_attempt_class"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "student"],
                condition=models.Q(purpose__in=CLASS_PURPOSES),
                name="quizzes_attempt_once_per_class_quiz",
            ),
            models.UniqueConstraint(
                fields=["quiz", "student", "client_token"],
                condition=~models.Q(client_token=""),
                name="quizzes_attempt_client_token",
            ),
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("question_count")) & models.Q(score__lte=100),
                name="quizzes_attempt_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.quiz_id} · {self.score}"


class AttemptAnswer(models.Model):
    """One graded answer. ``student`` and ``answered_at`` repeat the attempt's for the latest-answer
    reads (wrong-answer book, mastery), which go by student and question."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    given = models.CharField(_("answer given"), max_length=grading.MAX_ANSWER_LENGTH)
    is_correct = models.BooleanField(_("correct"))

    class Meta:
        ordering = ["attempt", "order", "pk"]
        verbose_name = _("attempt answer")
        verbose_name_plural = _("attempt answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_attempt_answer_unique"),
        ]
        indexes = [
            models.Index(fields=["student", "question", "-answered_at"], name="quizzes_answer_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.given}"
