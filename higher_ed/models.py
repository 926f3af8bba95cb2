from django.db import models
from django.utils.translation import gettext_lazy as _


class DisciplineCategory(models.Model):
    """A discipline category (学科门类) of the undergraduate catalogue."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline category")
        verbose_name_plural = _("discipline categories")

    def __str__(self) -> str:
        return self.name


class SpecialtyClass(models.Model):
    """A specialty class (专业类) within a discipline category."""

    category = models.ForeignKey(
        DisciplineCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="classes"
    )
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty class")
        verbose_name_plural = _("specialty classes")

    def __str__(self) -> str:
        return self.name
