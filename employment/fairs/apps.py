from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    """Special recruitment fairs (24365 part 2)."""

    name = "employment.fairs"
    label = "employment_fairs"
    verbose_name = _("Special recruitment fairs")

    def ready(self) -> None:
        from employment.fairs import access, selectors
        from employment.fairs.seed import seed_fairs
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder
        from smartedu.stats.registry import ContentKind, register_kind

        register_seeder(Seeder(key="employment.fairs", order=43, run=seed_fairs))
        register_nav_link(
            NavLink(
                key="employment.fairs",
                label=_("Fairs I organise"),
                url_name="employment:fairs-mine",
                order=65,
                allowed=access.fairs_creatable,
            )
        )
        # Views counted by the fair page's {% stats_beacon %} (section: industry, column: province).
        register_kind(
            ContentKind(
                key="employment.fair",
                platform="employment",
                label=_("recruitment fair"),
                model="employment_fairs.Fair",
                url_name="employment:fairs-detail",
                locate=selectors.fair_locations,
            )
        )

        from employment.fairs.search import register as register_search

        register_search()

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        schedule["employment-freeze-closed-fairs"] = {
            "task": "employment.fairs.tasks.freeze_closed_fairs_task",
            "schedule": 300.0,
            "options": {"expires": 280},
        }
        app.conf.beat_schedule = schedule
