from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The employment front: counsellors, progress, directives and surveys (24365 part 2)."""

    name = "employment.front"
    label = "employment_front"
    verbose_name = _("The employment front: counsellors, progress, directives and surveys")
