"""Tripartite online agreements (三方协议): employer, graduate and the graduate's university.

An agreement's content lives in immutable ``AgreementVersion`` rows. Each version's ``content_hash`` is the
SHA-256 of its canonical content together with the previous version's hash, so the versions form a chain
(``agreements_verify`` recomputes it). Signatures belong to one version and record who, when, from which
address and the hash they saw. Rows change only through ``employment.agreements.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employment.models import Application, Employer
from smartedu.institutions.models import Institution


class AgreementStatus(models.TextChoices):
    AWAITING_GRADUATE = "awaiting_graduate", _("Waiting for the graduate")
    AWAITING_OFFICER = "awaiting_officer", _("Waiting for the university")
    IN_FORCE = "in_force", _("In force")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    AgreementStatus.AWAITING_GRADUATE,
    AgreementStatus.AWAITING_OFFICER,
    AgreementStatus.IN_FORCE,
)


class SignerRole(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    GRADUATE = "graduate", _("Graduate")
    OFFICER = "officer", _("University")


class Agreement(models.Model):
    """One tripartite agreement for a hired application; its terms are in its versions."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="+"
    )
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("graduate"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.AWAITING_GRADUATE,
    )
    version = models.PositiveIntegerField(_("current version"), default=1)
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    cancel_requested_at = models.DateTimeField(_("cancellation requested at"), null=True, blank=True)
    cancel_graduate_at = models.DateTimeField(_("graduate consented to cancel at"), null=True, blank=True)
    cancel_employer_at = models.DateTimeField(_("employer consented to cancel at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tripartite agreement")
        verbose_name_plural = _("tripartite agreements")
        constraints = [
            # One graduate, at most one agreement in force: the database decides, not a check in Python.
            models.UniqueConstraint(
                fields=["graduate"],
                condition=Q(status="in_force"),
                name="agreements_one_in_force_per_graduate",
            ),
            # One open agreement per application: a double-clicked draft is one row.
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="cancelled"),
                name="agreements_one_open_per_application",
            ),
        ]
        indexes = [
            models.Index(fields=["university", "status"], name="agreements_univ_status"),
            models.Index(fields=["employer", "-created_at"], name="agreements_employer"),
            models.Index(fields=["graduate", "-created_at"], name="agreements_graduate"),
        ]

    def __str__(self) -> str:
        return f"agreement {self.pk}"


class AgreementVersion(models.Model):
    """The terms of one version, never edited: a change is a new version and signatures start over."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    position = models.CharField(_("position"), max_length=100)
    place = models.CharField(_("place of work"), max_length=100)
    salary = models.PositiveIntegerField(_("monthly salary (yuan)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"))
    clauses = models.TextField(_("clauses"), max_length=5000)
    previous_hash = models.CharField(_("previous version's hash"), max_length=64, blank=True)
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreements_version_unique")
        ]

    def __str__(self) -> str:
        return f"agreement {self.agreement_id} v{self.number}"


class Signature(models.Model):
    """One party's signature of one version: who, when, from where, and the hash they signed (append-only)."""

    version = models.ForeignKey(
        AgreementVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="signatures"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(_("as"), max_length=10, choices=SignerRole.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 signed"), max_length=64)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            # Double clicks and concurrent requests make one signature per party and version.
            models.UniqueConstraint(fields=["version", "role"], name="agreements_signature_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} v{self.version_id} {self.role}"


class NoticeKind(models.TextChoices):
    CANCELLED = "cancelled", _("Agreement cancelled")


class Notice(models.Model):
    """A notice to the officers of a university about one of its agreements (shown on their page)."""

    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.CASCADE, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agreement notice")
        verbose_name_plural = _("agreement notices")
        constraints = [models.UniqueConstraint(fields=["agreement", "kind"], name="agreements_notice_unique")]
        indexes = [models.Index(fields=["university", "read_at"], name="agreements_notice_unread")]

    def __str__(self) -> str:
        return f"{self.kind} {self.agreement_id}"
