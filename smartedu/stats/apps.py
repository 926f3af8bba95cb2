from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """View statistics: counting, Celery aggregation and dashboards (filled in by the statistics issue)."""

    name = "smartedu.stats"
    label = "stats"
    verbose_name = _("Statistics")
