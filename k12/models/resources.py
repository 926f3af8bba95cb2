"""Sections, columns, tags and their resources; partner links."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from k12.models.media import VideoExtras
from k12.models.publishing import Publishable, PublishableQuerySet
from k12.models.taxonomy import Stage, Subject
from smartedu.portal.uploads import DOCUMENT_UPLOAD, VIDEO_UPLOAD, RandomName


class Section(models.Model):
    """A resource section (版块): 专题教育, 课程教学, 课后服务, 教师研修, 家庭教育 or 教改实践经验."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    """A second-level column (二级栏目) of a section; course-teaching columns stand for a stage."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="columns"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
        help_text=_("Course-teaching columns browse the textbooks of this stage."),
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="k12_column_section_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    STUDENT = "student", _("Students")
    TEACHER = "teacher", _("Teachers")
    PARENT = "parent", _("Parents")


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    COURSE = "course", _("Thematic course")
    LINK = "link", _("External link")


class Resource(Publishable, VideoExtras):
    """A resource of a column: a video, a document, a thematic course or an external link.

    ``section`` repeats ``column.section`` (kept equal by the services) so that statistics roll up by
    section without a join.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="resources"
    )
    column = models.ForeignKey(
        Column, verbose_name=_("column"), on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField(_("type"), max_length=10, choices=ResourceKind.choices, db_index=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(_("external address"), blank=True)
    video = models.FileField(
        _("video"),
        upload_to=RandomName("k12/resources/videos"),
        validators=[VIDEO_UPLOAD],
        blank=True,
        help_text=_("MP4 or WebM."),
    )
    file = models.FileField(
        _("file"),
        upload_to=RandomName("k12/resources/files"),
        validators=[DOCUMENT_UPLOAD],
        blank=True,
        help_text=_("PDF or PPTX."),
    )
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="resources")
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublishableQuerySet["Resource"].as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["column", "status", "-published_at"], name="k12_res_column_published"),
            models.Index(fields=["section", "status", "-published_at"], name="k12_res_section_published"),
        ]

    def __str__(self) -> str:
        return self.title


class PartnerLinkKind(models.TextChoices):
    PARTNER_SITE = "partner", _("Partner site")
    HOTLINE = "hotline", _("Help hotline")


class PartnerLink(models.Model):
    """A partner site (museums, the digital science museum, Digital Dunhuang…) or the help hotline."""

    kind = models.CharField(_("type"), max_length=10, choices=PartnerLinkKind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")

    def __str__(self) -> str:
        return self.name
