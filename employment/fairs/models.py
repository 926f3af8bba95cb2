"""Special recruitment fairs (专场招聘会): sector, regional and joint double-selection fairs.

A fair has a time window (stored in UTC, shown in Asia/Shanghai), organiser universities, and the employers
an organiser approved with the jobs they attached. Its live figures (employers, jobs, applications) are
counters kept by the services in the same transaction as the row they count; its views come from the
statistics pipeline (``view_count``, content kind ``employment.fair``). When the window closes,
``fairs_freeze_closed`` recounts the figures from the rows and freezes them with the views of that moment.

The fair an application came from is a row of this app (``FairApplication``): part 1's ``Application`` is
not changed.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.models import Application, Employer, Industry, Job
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution


class FairKind(models.TextChoices):
    SECTOR = "sector", _("Sector fair")
    REGIONAL = "regional", _("Regional fair")
    JOINT = "joint", _("Joint double-selection fair")


class FairState(models.TextChoices):
    UPCOMING = "upcoming", _("Starting soon")
    RUNNING = "running", _("Running")
    PAST = "past", _("Past")


class FairQuerySet(models.QuerySet["Fair"]):
    def running(self, now: datetime | None = None) -> FairQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)

    def upcoming(self, now: datetime | None = None) -> FairQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())

    def past(self, now: datetime | None = None) -> FairQuerySet:
        return self.filter(ends_at__lte=now or timezone.now())

    def in_state(self, state: str, now: datetime | None = None) -> FairQuerySet:
        return {"running": self.running, "upcoming": self.upcoming, "past": self.past}[state](now)


class Fair(models.Model):
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=FairKind.choices, db_index=True)
    sector = models.CharField(_("sector"), max_length=40, blank=True, help_text=_("Sector fairs: 医疗卫生…"))
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Regional fairs: the host province. Empty: a national fair (the ministry's)."),
    )
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organisers = models.ManyToManyField(
        Institution, verbose_name=_("organising universities"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Live figures, kept by the services; frozen (recounted from the rows) when the window closes.
    employer_count = models.PositiveIntegerField(_("employers"), default=0)
    job_count = models.PositiveIntegerField(_("jobs"), default=0)
    application_count = models.PositiveIntegerField(_("applications"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    frozen_at = models.DateTimeField(_("figures frozen at"), null=True, blank=True)
    frozen_views = models.PositiveBigIntegerField(_("views when closed"), null=True, blank=True)

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("recruitment fair")
        verbose_name_plural = _("recruitment fairs")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="fairs_window_order")
        ]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="fairs_window"),
            models.Index(fields=["frozen_at", "ends_at"], name="fairs_freeze"),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return FairState.UPCOMING
        if now < self.ends_at:
            return FairState.RUNNING
        return FairState.PAST

    @property
    def is_running(self) -> bool:
        return self.state() == FairState.RUNNING

    @property
    def views(self) -> int:
        """The views shown: frozen with the other figures once the fair is over."""
        return self.frozen_views if self.frozen_views is not None else self.view_count


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FairRegistration(models.Model):
    """An employer's registration for a fair (one per fair and employer), approved by an organiser."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="registrations"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("fair registration")
        verbose_name_plural = _("fair registrations")
        constraints = [models.UniqueConstraint(fields=["fair", "employer"], name="fairs_registration_unique")]
        indexes = [models.Index(fields=["fair", "status"], name="fairs_registration_status")]

    def __str__(self) -> str:
        return f"{self.fair_id}/{self.employer_id}"


class FairJob(models.Model):
    """A job an employer attached to its registration for a fair."""

    fair = models.ForeignKey(Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="fair_jobs")
    registration = models.ForeignKey(
        FairRegistration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="jobs"
    )
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fair job")
        verbose_name_plural = _("fair jobs")
        constraints = [models.UniqueConstraint(fields=["fair", "job"], name="fairs_job_unique")]

    def __str__(self) -> str:
        return f"{self.fair_id}/{self.job_id}"


class FairApplication(models.Model):
    """The fair an application was made from (part 1's application, linked from here)."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="+"
    )
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="fair_applications"
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("fair application")
        verbose_name_plural = _("fair applications")

    def __str__(self) -> str:
        return f"{self.fair_id}/{self.application_id}"
