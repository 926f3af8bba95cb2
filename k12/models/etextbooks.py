"""Electronic textbooks and their tables of contents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from k12.models.publishing import Publishable, PublishableQuerySet
from k12.models.taxonomy import Edition, Grade, Publisher, Stage, Subject, Volume
from k12.models.textbooks import Textbook, Unit
from smartedu.portal.uploads import PDF_UPLOAD, RandomName


class ETextbook(Publishable):
    """A readable textbook (PDF); linked to its course-teaching textbook when there is one."""

    textbook = models.OneToOneField(
        Textbook,
        verbose_name=_("textbook"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="etextbook",
    )
    title = models.CharField(_("title"), max_length=200)
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="etextbooks"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(
        Grade, verbose_name=_("grade"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.CharField(_("volume"), max_length=20, choices=Volume.choices)
    file = models.FileField(_("PDF file"), upload_to=RandomName("k12/etextbooks"), validators=[PDF_UPLOAD])
    page_count = models.PositiveSmallIntegerField(_("pages"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)

    objects = PublishableQuerySet["ETextbook"].as_manager()

    class Meta:
        ordering = ["stage__order", "subject", "pk"]
        verbose_name = _("e-textbook")
        verbose_name_plural = _("e-textbooks")
        indexes = [models.Index(fields=["stage", "subject", "status"], name="k12_etextbook_browse")]

    def __str__(self) -> str:
        return self.title


class ETextbookChapter(models.Model):
    """A table-of-contents entry: a chapter starting at a page, linked to its textbook unit."""

    etextbook = models.ForeignKey(
        ETextbook, verbose_name=_("e-textbook"), on_delete=models.CASCADE, related_name="chapters"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    start_page = models.PositiveSmallIntegerField(_("first page"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chapters",
    )

    class Meta:
        ordering = ["etextbook", "order"]
        verbose_name = _("e-textbook chapter")
        verbose_name_plural = _("e-textbook chapters")
        constraints = [
            models.UniqueConstraint(fields=["etextbook", "order"], name="k12_chapter_order_unique")
        ]

    def __str__(self) -> str:
        return self.title
