"""The employment front: graduating classes and their counsellors, help flags, the progress roll-up,
directives (一键直达) and surveys.

Who may do what lives in ``access.py``; every write in ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from employment.models import Degree, GraduateProfile
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution
from smartedu.portal.uploads import MB, RandomName, UploadPolicy

DIRECTIVE_ATTACHMENT_UPLOAD = UploadPolicy(kinds=("pdf", "png", "jpeg"), max_bytes=20 * MB)


# --- Graduating classes and counsellors --------------------------------------------------------------


class GraduatingClass(models.Model):
    """A graduating class (毕业班): the verified graduates of one university, specialty and graduation year.

    The natural key is the one the student-status registry gives every graduate, so a class needs no roster:
    its graduates are ``GraduateProfile`` rows with the same university, specialty and year (all degrees).
    """

    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.CharField(_("specialty"), max_length=60)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))

    class Meta:
        ordering = ["university_id", "-graduation_year", "specialty"]
        verbose_name = _("graduating class")
        verbose_name_plural = _("graduating classes")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "specialty", "graduation_year"], name="front_class_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.graduation_year} {self.specialty}"


class CounsellorAssignment(models.Model):
    """The one graduating class a counsellor looks after (set by an officer of its university)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.CASCADE,
        related_name="counsellor_assignment",
    )
    graduating_class = models.ForeignKey(
        GraduatingClass,
        verbose_name=_("graduating class"),
        on_delete=models.PROTECT,
        related_name="counsellors",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("since"), auto_now=True)

    class Meta:
        verbose_name = _("counsellor's class")
        verbose_name_plural = _("counsellors' classes")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.graduating_class_id}"


class GraduateSupport(models.Model):
    """A graduate an officer or counsellor marked as needing help (困难帮扶), with a note for colleagues."""

    graduate = models.OneToOneField(
        GraduateProfile, verbose_name=_("graduate"), on_delete=models.CASCADE, related_name="support"
    )
    needs_help = models.BooleanField(_("needs help"), default=True, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("graduate needing help")
        verbose_name_plural = _("graduates needing help")

    def __str__(self) -> str:
        return f"support {self.graduate_id}"


# --- The progress roll-up ----------------------------------------------------------------------------


class ProgressFigure(models.Model):
    """One rolled-up figure: how many graduates of a cell (university × specialty × degree × year) reached
    ``measure`` (``graduates``, ``intention``, ``applied``, ``offer``, ``employed``, ``help``,
    ``outcome:<key>``, ``destination:<job type>``).

    Written only by ``services.progress_rollup``, which replaces the whole table in one transaction (recompute
    and replace: a roll-up run twice, or retried after a crash, leaves the same rows).
    """

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.CASCADE, related_name="+"
    )
    specialty = models.CharField(_("specialty"), max_length=60)
    degree = models.CharField(_("degree"), max_length=12, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    measure = models.CharField(_("measure"), max_length=60)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("progress figure")
        verbose_name_plural = _("progress figures")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "specialty", "degree", "graduation_year", "measure"],
                name="front_progress_cell_unique",
            )
        ]
        indexes = [
            models.Index(fields=["province", "measure"], name="front_progress_province"),
            models.Index(fields=["university", "measure"], name="front_progress_university"),
        ]

    def __str__(self) -> str:
        return f"{self.university_id}/{self.specialty}/{self.measure}={self.count}"


class RollupRun(models.Model):
    """One run of the progress roll-up: the page says when the figures were last rolled up."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), db_index=True)
    graduates = models.PositiveIntegerField(_("graduates"))
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")

    def __str__(self) -> str:
        return f"rollup {self.finished_at:%Y-%m-%d %H:%M}"


# --- Directives (一键直达) -------------------------------------------------------------------------------


class AudienceKind(models.TextChoices):
    ALL = "all", _("Every officer and counsellor in my scope")
    PROVINCE = "province", _("Officers and counsellors of a province")
    UNIVERSITY = "university", _("Officers and counsellors of a university")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DELIVERING = "delivering", _("Delivering")
    DELIVERED = "delivered", _("Delivered")


class Directive(models.Model):
    """A ministry's or province's directive to the front-line officers and counsellors of an audience."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(pgettext_lazy("employment front", "title"), max_length=120)
    body = models.TextField(_("body"), max_length=20_000)
    urgent = models.BooleanField(_("urgent (needs acknowledgement)"), default=False)
    audience = models.CharField(
        pgettext_lazy("employment front", "audience"), max_length=12, choices=AudienceKind.choices
    )
    audience_province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_university = models.ForeignKey(
        Institution,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    delivered_count = models.PositiveIntegerField(_("delivered"), default=0)
    status = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The send form's one-time token (or an API client's Idempotency-Key): a double click sends once.
    client_token = models.CharField(_("client token"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_token"],
                condition=~Q(client_token=""),
                name="front_directive_client_token_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent_delivered(self) -> int:
        return 100 if not self.recipient_count else round(100 * self.delivered_count / self.recipient_count)


class DirectiveAttachment(models.Model):
    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=RandomName("employment/directives"), validators=[DIRECTIVE_ATTACHMENT_UPLOAD]
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class DirectiveDelivery(models.Model):
    """A directive in one recipient's inbox: delivered, read, and (urgent ones) acknowledged."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        verbose_name = _("directive delivery")
        verbose_name_plural = _("directive deliveries")
        constraints = [
            models.UniqueConstraint(fields=["directive", "recipient"], name="front_delivery_unique")
        ]
        indexes = [
            models.Index(fields=["recipient", "-delivered_at"], name="front_delivery_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="front_delivery_unread"
            ),
            # Receipts: who has (not) read a directive, in recipient order, a page at a time.
            models.Index(fields=["directive", "read_at", "recipient"], name="front_delivery_receipts"),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.recipient_id}"


# --- Surveys -------------------------------------------------------------------------------------------


class SurveyStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


class Survey(models.Model):
    """An administrator asks the universities of its scope for figures; one answer per university."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # Empty: the whole nation (a ministry's survey); else the author's province.
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    client_token = models.CharField(_("client token"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=~Q(client_token=""),
                name="front_survey_client_token_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class FieldKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")


class SurveyField(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="fields"
    )
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=FieldKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("survey field")
        verbose_name_plural = _("survey fields")

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"f{self.pk}"


class SurveyResponse(models.Model):
    """One university's answer; its officers may change it until the survey closes."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["university__name", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "university"], name="front_survey_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.university_id}"
