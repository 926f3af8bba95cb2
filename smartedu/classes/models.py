from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartedu.classes.codes import MAX_LENGTH


class ClassQuerySet(models.QuerySet["Class"]):
    def active(self) -> ClassQuerySet:
        """Classes that are not archived: the only ones a code joins and a student sees."""
        return self.filter(is_active=True)

    def for_platform(self, platform: str | None) -> ClassQuerySet:
        return self.filter(platform=platform) if platform else self


class Class(models.Model):
    """A teacher's class (班级) on one sub-platform; students join it with its code."""

    name = models.CharField(_("name"), max_length=100)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="classes_taught",
    )
    platform = models.CharField(_("sub-platform"), max_length=20, db_index=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    label = models.CharField(
        _("grade or subject"), max_length=100, blank=True, help_text=_("For instance 七年级 数学.")
    )
    code = models.CharField(_("class code"), max_length=MAX_LENGTH, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = ClassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        indexes = [models.Index(fields=["teacher", "platform", "is_active"], name="classes_class_teacher")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A student in a class; one row per class and student."""

    klass = models.ForeignKey(
        Class, verbose_name=_("class"), on_delete=models.CASCADE, related_name="memberships"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="class_memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["klass", "student"], name="classes_membership_unique"),
        ]
        indexes = [models.Index(fields=["student", "klass"], name="classes_membership_student")]

    def __str__(self) -> str:
        return f"{self.student_id} ∈ {self.klass_id}"
