"""Course teaching: textbooks and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from k12.models.publishing import Publishable, PublishableQuerySet
from k12.models.taxonomy import Edition, Grade, Publisher, Stage, Subject, Volume


class Textbook(Publishable):
    """A textbook (册): edition + subject + grade (none for senior-secondary books) + volume."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="textbooks"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="textbooks"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="textbooks"
    )
    grade = models.ForeignKey(
        Grade,
        verbose_name=_("grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="textbooks",
        help_text=_("Empty for senior-secondary books, which go by volume only."),
    )
    volume = models.CharField(_("volume"), max_length=20, choices=Volume.choices)
    title = models.CharField(_("title"), max_length=200)
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="textbooks"
    )
    # Sort key within an edition and subject: grade, then volume (set by the services).
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = PublishableQuerySet["Textbook"].as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("textbook")
        verbose_name_plural = _("textbooks")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subject", "grade", "volume"],
                condition=models.Q(grade__isnull=False),
                name="k12_textbook_graded_unique",
            ),
            models.UniqueConstraint(
                fields=["edition", "subject", "stage", "volume"],
                condition=models.Q(grade__isnull=True),
                name="k12_textbook_ungraded_unique",
            ),
        ]
        indexes = [models.Index(fields=["stage", "subject", "edition", "order"], name="k12_textbook_browse")]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    """A unit or chapter (单元/章) of a textbook."""

    textbook = models.ForeignKey(
        Textbook, verbose_name=_("textbook"), on_delete=models.CASCADE, related_name="units"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["textbook", "order"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["textbook", "order"], name="k12_unit_order_unique")]

    def __str__(self) -> str:
        return self.title
