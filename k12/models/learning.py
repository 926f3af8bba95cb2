"""What students do: submissions and their answers, favourites, recently opened lessons."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from k12.models.lessons import Lesson, Question
from k12.models.resources import Resource


class Submission(models.Model):
    """A student's graded answers to the exercises of a lesson."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="k12_submissions",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="submissions"
    )
    correct_count = models.PositiveSmallIntegerField(_("correct answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(
        _("score"), help_text=_("Per cent of the questions answered right.")
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["student", "lesson", "-created_at"], name="k12_submission_student")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("question_count")) & models.Q(score__lte=100),
                name="k12_submission_score_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.lesson} · {self.score}"


class SubmissionAnswer(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="submitted_answers"
    )
    given = models.CharField(_("answer given"), max_length=200)
    is_correct = models.BooleanField(_("correct"))

    class Meta:
        ordering = ["submission", "question__hour__order", "question__order"]
        verbose_name = _("submitted answer")
        verbose_name_plural = _("submitted answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="k12_submission_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.given}"


class Favourite(models.Model):
    """A lesson or a resource a user keeps for later (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="k12_favourites",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, resource__isnull=True)
                | models.Q(lesson__isnull=True, resource__isnull=False),
                name="k12_favourite_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "lesson"],
                condition=models.Q(lesson__isnull=False),
                name="k12_favourite_lesson",
            ),
            models.UniqueConstraint(
                fields=["user", "resource"],
                condition=models.Q(resource__isnull=False),
                name="k12_favourite_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id or self.resource_id}"


class LessonVisit(models.Model):
    """When a user last opened a lesson ("continue where you left off"); one row per user and lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="k12_visits"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="k12_lesson_visit_unique")]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="k12_visit_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id}"
