"""The K-12 taxonomy: stages, grades, subjects, editions, publishers and volumes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.Model):
    """A school stage (学段): primary, junior secondary, senior secondary."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A grade, numbered 1–12 across the stages."""

    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="grades")
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        ordering = ["number"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    stages: models.ManyToManyField[Stage, StageSubject] = models.ManyToManyField(
        Stage, through="StageSubject", related_name="subjects", verbose_name=_("stages")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class StageSubject(models.Model):
    """A subject taught in a stage, from ``first_grade`` on (English from grade 3, physics from grade 8…)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE)
    first_grade = models.PositiveSmallIntegerField(_("first grade"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["stage__order", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "subject"], name="k12_stage_subject_unique")]

    def __str__(self) -> str:
        return f"{self.stage} · {self.subject}"


class Edition(models.Model):
    """A textbook edition (版本), named after its publisher."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    publisher = models.CharField(_("publisher"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("textbook edition")
        verbose_name_plural = _("textbook editions")

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return self.name


class Volume(models.TextChoices):
    """册次: 上册/下册 in primary and junior secondary; 必修/选择性必修 in senior secondary."""

    AUTUMN = "autumn", _("Volume 1 (autumn term)")
    SPRING = "spring", _("Volume 2 (spring term)")
    SINGLE = "single", _("Single volume")
    COMPULSORY_1 = "compulsory-1", _("Compulsory, book 1")
    COMPULSORY_2 = "compulsory-2", _("Compulsory, book 2")
    COMPULSORY_3 = "compulsory-3", _("Compulsory, book 3")
    ELECTIVE_1 = "elective-1", _("Elective compulsory, book 1")
    ELECTIVE_2 = "elective-2", _("Elective compulsory, book 2")
    ELECTIVE_3 = "elective-3", _("Elective compulsory, book 3")


VOLUME_ORDER = {value: index for index, value in enumerate(Volume.values)}
