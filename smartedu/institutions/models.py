from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartedu.accounts.models import Province


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    VOCATIONAL_COLLEGE = "vocational", _("Vocational college")


class Institution(models.Model):
    """A university or vocational college, in a province and a city.

    ``category`` is the institution's type as the ministry lists it (综合, 理工, 师范, 农林, 职业…).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=InstitutionKind.choices, db_index=True)
    category = models.CharField(_("category"), max_length=20, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="institutions"
    )
    city = models.CharField(_("city"), max_length=40, blank=True)

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [models.Index(fields=["province", "kind"], name="institutions_province_kind")]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """The one institution an account acts for: an officer's or counsellor's university, a teacher's college.

    One per account. For accounts that need approval (officers), changing it sends the account back for
    approval (the accounts services own that rule).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="affiliation",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="affiliations"
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.institution_id}"
