from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """An industry section (门类) of GB/T 4754-2017."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name
