from django.db import models
from django.utils.translation import gettext_lazy as _


class SpecialtyCategory(models.Model):
    """A specialty category (专业大类) of the 2021 vocational catalogue (高职专科 codes 41–59)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty category")
        verbose_name_plural = _("specialty categories")

    def __str__(self) -> str:
        return self.name
