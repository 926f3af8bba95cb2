"""Job feeds shared with partner sites (互联共享).

``FeedItem`` remembers which of our jobs a partner's ``(source, external id)`` became, so importing the same
feed again updates instead of duplicating. ``FeedImport`` is one import run in Celery with its progress and
bad rows. ``Partner`` is a site that pulls our open jobs with an API key; only the key's SHA-256 is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from employment.models import Job


class FeedItem(models.Model):
    source = models.SlugField(_("source"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=100)
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(_("first imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("imported job")
        verbose_name_plural = _("imported jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="feeds_item_source_external_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class FeedFormat(models.TextChoices):
    JSON = "json", "JSON"
    CSV = "csv", "CSV"


class FeedImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FeedImport(models.Model):
    """One import of a partner's feed: progress, counts, and the bad rows with what is wrong."""

    source = models.SlugField(_("source"), max_length=50)
    format = models.CharField(_("format"), max_length=4, choices=FeedFormat.choices)
    full = models.BooleanField(
        _("full snapshot"), default=True, help_text=_("Jobs of this source missing from the feed are closed.")
    )
    payload = models.TextField(_("feed"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedImportStatus.choices, default=FeedImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    errors = models.JSONField(_("bad rows"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feed import")
        verbose_name_plural = _("feed imports")

    def __str__(self) -> str:
        return f"feed import {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


class Partner(models.Model):
    """A partner site pulling our open jobs; the API key is shown once and stored as its SHA-256."""

    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=8, unique=True)
    key_hash = models.CharField(_("key SHA-256"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_pulled_at = models.DateTimeField(_("last pulled at"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("feed partner")
        verbose_name_plural = _("feed partners")

    def __str__(self) -> str:
        return self.name
