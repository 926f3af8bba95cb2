from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    """Job feeds shared with partner sites (24365 part 2)."""

    name = "employment.feeds"
    label = "employment_feeds"
    verbose_name = _("Job feeds shared with partner sites")
