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
    ADMIN = "admin", _("Administrator")


# Roles a visitor may choose when registering; administrators are appointed, never self-registered.
SELF_REGISTER_ROLES = (Role.STUDENT, Role.TEACHER, Role.GRADUATE, Role.EMPLOYER, Role.OFFICER)
# Roles that may act only after an administrator has approved the account.
APPROVAL_ROLES = frozenset({Role.EMPLOYER, Role.OFFICER})


class User(AbstractUser):
    """One account for every sub-platform.

    ``province`` is where the user lives or works; for an administrator it is the scope of their
    authority (a provincial administrator), and empty means the ministry (every province).
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
        """May this account act in its role? Employers and officers wait for an administrator."""
        return not self.needs_approval or self.approved_at is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def scope_province_id(self) -> int | None:
        """The province an administrator governs; None for the ministry (all provinces)."""
        if self.is_superuser:
            return None
        return self.province_id
