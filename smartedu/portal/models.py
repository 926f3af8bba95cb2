"""The portal's own content: announcements on the home page, written by administrators."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def visible(self) -> Self:
        """Published (the publication time has come) and not expired; pinned first, newest first."""
        now = timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now), published_at__lte=now
        ).order_by("-is_pinned", "-published_at", "-pk")


class Announcement(models.Model):
    """A notice (通知公告) shown on the home page from ``published_at`` until ``expires_at``."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), blank=True, max_length=2000)
    url = models.URLField(_("link"), blank=True, help_text=_("Optional: a page with the details."))
    is_pinned = models.BooleanField(_("pinned"), default=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("published_at")),
                name="portal_announcement_expires_after_publication",
            )
        ]

    def __str__(self) -> str:
        return self.title
