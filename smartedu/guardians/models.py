"""A parent's link to a child's account, and the one-time code the child's account shows to make it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GuardianLinkQuerySet(models.QuerySet["GuardianLink"]):
    def consented(self) -> GuardianLinkQuerySet:
        return self.filter(consented_at__isnull=False)


class GuardianLink(models.Model):
    """A parent (家长) who may read a child's learning record; ``consented_at`` is the guardian's consent
    to keep more than the child's account and learning records (PIPL, for a child under 14)."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="guardian_links_as_parent",
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="guardian_links_as_child",
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    objects = GuardianLinkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="guardians_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("child")), name="guardians_link_not_self"
            ),
        ]
        indexes = [models.Index(fields=["child", "consented_at"], name="guardians_link_child")]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id}"


class LinkCode(models.Model):
    """The code a child's account shows, for a parent to type once: kept only as a keyed digest, expiring,
    one per child (a new one replaces the old), and used up by the link it makes."""

    child = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="guardian_link_code",
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("link code")
        verbose_name_plural = _("link codes")

    def __str__(self) -> str:
        return f"{self.child_id} · {self.expires_at:%Y-%m-%d %H:%M}"
