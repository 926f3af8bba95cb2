from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A provincial-level division of mainland China (GB/T 2260)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    short_name = models.CharField(_("short name"), max_length=10)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    GRADUATE = "graduate", _("Graduate")
    EMPLOYER = "employer", _("Employer")
    OFFICER = "officer", _("Employment officer")
    COUNSELLOR = "counsellor", _("Counsellor")
    ADMIN = "admin", _("Administrator")
    PARENT = "parent", _("Parent")


# Roles a visitor may choose when registering; administrators are appointed, never self-registered.
SELF_REGISTER_ROLES = (
    Role.STUDENT,
    Role.TEACHER,
    Role.GRADUATE,
    Role.EMPLOYER,
    Role.OFFICER,
    Role.COUNSELLOR,
    Role.PARENT,
)
# Roles that may act only after an administrator has approved the account.
APPROVAL_ROLES = frozenset({Role.EMPLOYER, Role.OFFICER, Role.COUNSELLOR})


class User(AbstractUser):
    """One account for every sub-platform.

    ``province`` is where the user lives or works, and the user edits it. The authority of an
    administrator lives apart, in ``admin_province``, which only a ministry administrator sets
    (``services.user_scope_set``, logged in ``AuditEntry``): empty means the ministry (every province).
    """

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.STUDENT, db_index=True
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    admin_province = models.ForeignKey(
        Province,
        verbose_name=_("administers province"),
        help_text=_("For administrators: the province they govern; empty for the ministry (every province)."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_(
            "Students under 14 need a guardian's consent before more than their account and "
            "learning records is kept (PIPL)."
        ),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "self",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_ci_unique"
            ),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]
        indexes = [models.Index(fields=["role", "approved_at"], name="accounts_user_role_approved")]

    @property
    def needs_approval(self) -> bool:
        return self.role in APPROVAL_ROLES

    @property
    def is_approved(self) -> bool:
        """May this account act in its role? Employers, officers and counsellors wait for an administrator."""
        return not self.needs_approval or self.approved_at is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_ministry_admin(self) -> bool:
        """An administrator of every province (a superuser, or an administrator without a province)."""
        return self.is_superuser or (self.role == Role.ADMIN and self.admin_province_id is None)

    @property
    def scope_province_id(self) -> int | None:
        """The province an administrator governs; None for the ministry (all provinces).

        Read from ``admin_province``, which the user cannot edit. Meaningful for administrators only:
        callers check ``is_platform_admin`` first (smartedu/accounts/access.py does).
        """
        if self.is_superuser:
            return None
        return self.admin_province_id


class AuditAction(models.TextChoices):
    SCOPE_CHANGED = "scope_changed", _("Administrative scope changed")
    ROLE_CHANGED = "role_changed", _("Role changed")
    PRIVILEGE_CHANGED = "privilege_changed", _("Staff or superuser status changed")
    APPROVED = "approved", _("Account approved")
    APPROVAL_WITHDRAWN = "approval_withdrawn", _("Approval withdrawn")
    UNLOCKED = "unlocked", _("Login lockout lifted")
    TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")


class AuditEntry(models.Model):
    """One change to an account's authority or standing: who did what to whom, from where, when."""

    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        User, verbose_name=_("account"), null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    subject_username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject_username}"
