from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Career guidance (24365 part 2)."""

    name = "employment.guidance"
    label = "employment_guidance"
    verbose_name = _("Career guidance")
