from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    """Special recruitment fairs (24365 part 2)."""

    name = "employment.fairs"
    label = "employment_fairs"
    verbose_name = _("Special recruitment fairs")
