from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Federated Chinese search across the sub-platforms (filled in by the search issue)."""

    name = "smartedu.search"
    label = "search"
    verbose_name = _("Search")
