"""What teachers make: lesson-preparation plans (备课) for a class period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from k12.models.etextbooks import ETextbook
from k12.models.lessons import LessonHour
from k12.models.resources import Resource


class PrepPlan(models.Model):
    """A teacher's plan for one class period: lesson hours, resources and e-textbook pages, in order, with
    notes. Private to its owner unless shared; a colleague copies a shared plan into a plan of their own."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="k12_prep_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    klass = models.ForeignKey(
        "classes.Class",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period_at = models.DateTimeField(_("class period"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_shared = models.BooleanField(
        _("shared with colleagues"), default=False, help_text=_("Teachers of your school may copy it.")
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("preparation plan")
        verbose_name_plural = _("preparation plans")
        indexes = [models.Index(fields=["owner", "-updated_at"], name="k12_prepplan_owner")]

    def __str__(self) -> str:
        return self.title


class PrepItem(models.Model):
    """One entry of a plan: a lesson hour, a resource or pages of an e-textbook (exactly one), and a note."""

    plan = models.ForeignKey(PrepPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"))
    hour = models.ForeignKey(
        LessonHour,
        verbose_name=_("lesson hour"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    etextbook = models.ForeignKey(
        ETextbook,
        verbose_name=_("e-textbook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_page = models.PositiveSmallIntegerField(_("first page"), null=True, blank=True)
    last_page = models.PositiveSmallIntegerField(_("last page"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__isnull=False, resource__isnull=True, etextbook__isnull=True)
                | models.Q(hour__isnull=True, resource__isnull=False, etextbook__isnull=True)
                | models.Q(
                    hour__isnull=True,
                    resource__isnull=True,
                    etextbook__isnull=False,
                    first_page__isnull=False,
                    last_page__gte=models.F("first_page"),
                ),
                name="k12_prepitem_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.order}"
