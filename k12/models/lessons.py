"""Lessons, their lesson hours and after-class questions."""

from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from k12.models.media import VideoExtras
from k12.models.publishing import Publishable, PublishableQuerySet
from k12.models.textbooks import Textbook, Unit
from smartedu.portal.uploads import SLIDES_UPLOAD, VIDEO_UPLOAD, RandomName


class LessonQuerySet(PublishableQuerySet["Lesson"]):
    @classmethod
    def visible_q(cls, prefix: str = "") -> Q:
        """A lesson shows when it and its textbook are both published."""
        return PublishableQuerySet.visible_q(prefix) & PublishableQuerySet.visible_q(f"{prefix}textbook__")


class LessonHourQuerySet(models.QuerySet["LessonHour"]):
    def visible(self) -> Self:
        """The hours of visible lessons."""
        return self.filter(LessonQuerySet.visible_q("lesson__"))


class Lesson(Publishable):
    """A lesson (课) of a unit; its page shows its lesson hours and their exercises."""

    textbook = models.ForeignKey(
        Textbook, verbose_name=_("textbook"), on_delete=models.CASCADE, related_name="lessons"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    start_page = models.PositiveSmallIntegerField(_("first e-textbook page"), null=True, blank=True)
    end_page = models.PositiveSmallIntegerField(_("last e-textbook page"), null=True, blank=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["unit__order", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["unit", "order"], name="k12_lesson_order_unique"),
            models.CheckConstraint(
                condition=models.Q(start_page__isnull=True)
                | models.Q(end_page__isnull=True)
                | models.Q(end_page__gte=models.F("start_page")),
                name="k12_lesson_pages_ordered",
            ),
        ]
        indexes = [models.Index(fields=["textbook", "status"], name="k12_lesson_textbook_status")]

    def __str__(self) -> str:
        return self.title


class LessonHour(VideoExtras):
    """A lesson hour (课时): video, slides, teaching design, learning task sheet and after-class exercises."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="hours"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    video = models.FileField(
        _("video"),
        upload_to=RandomName("k12/lessons/videos"),
        validators=[VIDEO_UPLOAD],
        blank=True,
        help_text=_("MP4 or WebM."),
    )
    duration = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    slides = models.FileField(
        _("slides"),
        upload_to=RandomName("k12/lessons/slides"),
        validators=[SLIDES_UPLOAD],
        blank=True,
        help_text=_("PDF or PPTX."),
    )
    teaching_design = models.TextField(_("teaching design"), blank=True)
    task_sheet = models.TextField(_("learning task sheet"), blank=True)

    objects = LessonHourQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("lesson hour")
        verbose_name_plural = _("lesson hours")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="k12_lesson_hour_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("Single choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL_IN = "fill_in", _("Fill in the blank")


class Question(models.Model):
    """An after-class exercise question of a lesson hour.

    ``options`` is a list of ``{"key": "A", "text": "..."}`` for choice questions. ``answer`` is the key of
    the right option, ``true``/``false``, or for fill-in questions the accepted answers separated by ``|``.
    """

    hour = models.ForeignKey(
        LessonHour, verbose_name=_("lesson hour"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=200)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["hour", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["hour", "order"], name="k12_question_order_unique")]

    def __str__(self) -> str:
        return self.prompt[:60]
