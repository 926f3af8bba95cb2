from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Federated Chinese search across the sub-platforms, typeahead, search counts and recommendations.

    Sub-platforms register their searchable kinds (``smartedu.search.registry``) in their own ``ready()``.
    """

    name = "smartedu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from smartedu.portal.pagecache import hit_action_register
        from smartedu.portal.registry import Seeder, register_seeder
        from smartedu.search import seed
        from smartedu.search.views import SEARCH_COUNTED, search_counted
        from smartedu.stats.access import stats_national
        from smartedu.stats.registry import DashboardPanel, register_panel

        register_panel(
            DashboardPanel(
                key="searches",
                label=_("Searches"),
                url_name="search:dashboard",
                order=60,
                allowed=stats_national,
                description=_("Top queries and queries without results."),
            )
        )
        # A search page served from the page cache is still counted.
        hit_action_register(SEARCH_COUNTED, search_counted)
        # After every sub-platform's demo content (bulk-created, so no signal announced it): index it all.
        register_seeder(Seeder(key="search", order=95, run=seed.seed_search_index))
