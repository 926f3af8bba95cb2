from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The employment front: counsellors, progress, directives and surveys (24365 part 2)."""

    name = "employment.front"
    label = "employment_front"
    verbose_name = _("The employment front: counsellors, progress, directives and surveys")

    def ready(self) -> None:
        from employment.front import access, selectors
        from employment.front.seed import seed_front
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder
        from smartedu.stats.registry import DashboardPanel, register_panel

        register_seeder(Seeder(key="employment.front", order=44, run=seed_front))
        for key, label, url_name, order, allowed in (
            ("employment.front.progress", _("Employment progress"), "employment:front-progress", 65,
             access.progress_openable),
            ("employment.front.inbox", _("Directives"), "employment:front-inbox", 66, access.inbox_openable),
            ("employment.front.directives", _("Send directives"), "employment:front-directives", 67,
             access.directives_sendable),
            ("employment.front.surveys", _("Surveys"), "employment:front-surveys", 68,
             access.surveys_openable),
            ("employment.front.counsellors", _("Counsellors"), "employment:front-counsellors", 69,
             access.counsellors_assignable),
        ):  # fmt: skip
            register_nav_link(
                NavLink(
                    key=key,
                    label=label,
                    url_name=url_name,
                    order=order,
                    allowed=allowed,
                    badge=selectors.unread_count if key == "employment.front.inbox" else None,
                )
            )
        register_panel(
            DashboardPanel(
                key="employment.front.progress",
                label=_("Graduate employment progress"),
                url_name="employment:front-progress",
                order=70,
                allowed=access.progress_openable,
                description=_(
                    "Graduates, applications, offers and outcomes, by specialty, degree and destination."
                ),
            )
        )

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        schedule["employment-front-rollup-progress"] = {
            "task": "employment.front.tasks.rollup_progress_task",
            "schedule": 600.0,
            "options": {"expires": 540},
        }
        schedule["employment-front-deliver-pending-directives"] = {
            "task": "employment.front.tasks.deliver_pending_directives_task",
            "schedule": 300.0,
            "options": {"expires": 270},
        }
        app.conf.beat_schedule = schedule
