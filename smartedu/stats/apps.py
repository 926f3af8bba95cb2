from typing import Any

from django.apps import AppConfig
from django.db import models
from django.utils.translation import gettext_lazy as _


def _content_changed(sender: type[models.Model], **kwargs: Any) -> None:
    """A registered content kind's object was saved or deleted: anonymous visitors' cached pages are stale."""
    from smartedu.portal.pagecache import page_cache_invalidate
    from smartedu.stats.registry import is_content_model

    if is_content_model(sender):
        page_cache_invalidate()


class StatsConfig(AppConfig):
    """View statistics: counting, Celery aggregation and the dashboards of ``/dashboard/``."""

    name = "smartedu.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

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
        # Publishing, editing or deleting content makes the cached pages of anonymous visitors stale (the
        # flush's view-count updates are queryset updates, which send no signal).
        post_save.connect(_content_changed, dispatch_uid="stats-content-saved")
        post_delete.connect(_content_changed, dispatch_uid="stats-content-deleted")
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
