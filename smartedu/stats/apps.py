from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """View statistics: counting, Celery aggregation and the dashboards of ``/dashboard/``."""

    name = "smartedu.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from smartedu.portal import health
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder
        from smartedu.stats import access, seed
        from smartedu.stats.health import buffer_warnings
        from smartedu.stats.registry import ContentKind, DashboardPanel, register_kind, register_panel

        # The portal's own landing page counts as a page kind (id 0) of the "portal" platform.
        register_kind(ContentKind(key="portal.home", platform="portal", label=_("home page")))

        for key, label, url_name, order, allowed in (
            ("overview", _("Views overview"), "dashboard:index", 10, access.stats_readable),
            ("compare", _("Period comparison"), "dashboard:compare", 20, access.stats_readable),
            ("provinces", _("Provinces"), "dashboard:provinces", 30, access.stats_readable),
            ("sections", _("Sections and columns"), "dashboard:sections", 40, access.stats_national),
            ("hot", _("Hot content"), "dashboard:hot", 50, access.stats_national),
        ):
            register_panel(
                DashboardPanel(key=key, label=label, url_name=url_name, order=order, allowed=allowed)
            )

        register_seeder(Seeder(key="stats", order=90, run=seed.seed_view_history))

        # A warning, never a failure: pages are served while view counting has trouble.
        health.register_check("stats_buffer", buffer_warnings)
        register_nav_link(
            NavLink(
                key="dashboard",
                label=_("Dashboard"),
                url_name="dashboard:index",
                order=20,
                allowed=access.dashboard_openable,
            )
        )
