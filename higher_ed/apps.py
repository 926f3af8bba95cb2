from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HigherEdConfig(AppConfig):
    name = "higher_ed"
    verbose_name = _("Higher education")

    def ready(self) -> None:
        # What the cached blocks of the catalogue and course pages show besides the content kinds (which make
        # them stale already): a change makes them stale at once (smartedu/portal/fragments.py).
        from smartedu.portal.fragments import fragments_invalidate_on_change

        fragments_invalidate_on_change(
            "higher_ed.DisciplineCategory", "higher_ed.SpecialtyClass", "higher_ed.Platform",
            "higher_ed.CourseTeacher", "higher_ed.CourseUnit", "higher_ed.CourseRun",
        )  # fmt: skip
        from higher_ed import access, selectors
        from higher_ed.seed import seed_higher_ed
        from higher_ed.sitemaps import SITEMAPS
        from smartedu.portal.registry import (
            Figure,
            NavLink,
            Platform,
            Seeder,
            register_nav_link,
            register_platform,
            register_seeder,
        )
        from smartedu.portal.sitemaps import register_sitemap
        from smartedu.stats.registry import ContentKind, DashboardPanel, register_kind, register_panel

        register_platform(
            Platform(
                key="higher_ed",
                name=_("Higher Education Smart Platform"),
                description=_(
                    "MOOCs from every discipline, partner course platforms, credit courses and "
                    "learning progress."
                ),
                url_name="higher_ed:index",
                order=3,
                # One query each; the counted ones start from Course.objects.visible(), so a switched-off
                # platform leaves them.
                figures=(
                    Figure("categories", _("discipline categories"), selectors.category_count),
                    Figure("classes", _("specialty classes"), selectors.specialty_class_count),
                    Figure("courses", _("courses"), selectors.visible_course_count),
                    Figure("universities", _("universities"), selectors.visible_university_count),
                    Figure("platforms", _("partner platforms"), selectors.visible_platform_count),
                    Figure(
                        "international", _("international courses"), selectors.visible_international_count
                    ),
                ),
            )
        )
        register_seeder(Seeder(key="higher_ed", order=30, run=seed_higher_ed))

        for key, label, url_name, order, allowed in (
            ("higher_ed.my_courses", _("My courses"), "higher_ed:my-courses", 30, access.enrollment_allowed),
            (
                "higher_ed.monitoring",
                _("Credit monitoring"),
                "higher_ed:monitoring",
                40,
                access.monitoring_openable,
            ),
            (
                "higher_ed.platforms",
                _("Partner platforms"),
                "higher_ed:platforms-manage",
                50,
                access.switch_log_readable,
            ),
        ):
            register_nav_link(NavLink(key=key, label=label, url_name=url_name, order=order, allowed=allowed))
        register_panel(
            DashboardPanel(
                key="higher_ed.monitoring",
                label=_("Credit-course monitoring"),
                url_name="higher_ed:monitoring",
                order=60,
                allowed=access.monitoring_openable,
                description=_(
                    "Credit courses, completions, recognitions and anomaly flags per platform and university."
                ),
            )
        )

        # Views counted by the {% stats_beacon %} of the detail pages (hidden courses count nothing).
        register_kind(
            ContentKind(
                key="higher_ed.course",
                platform="higher_ed",
                label=_("course"),
                model="higher_ed.Course",
                url_name="higher_ed:course",
                locate=selectors.course_locations,
            )
        )
        register_kind(
            ContentKind(
                key="higher_ed.university",
                platform="higher_ed",
                label=_("university"),
                model="institutions.Institution",
                counter_field=None,
                title_field="name",
                url_name="higher_ed:university",
                locate=selectors.university_locations,
            )
        )
        register_kind(
            ContentKind(
                key="higher_ed.teacher",
                platform="higher_ed",
                label=_("teacher"),
                model="higher_ed.Teacher",
                counter_field=None,
                title_field="name",
                url_name="higher_ed:teacher",
                locate=selectors.teacher_locations,
            )
        )

        for key, sitemap in SITEMAPS.items():
            register_sitemap(key, sitemap)

        # Courses in the federated search (and the typeahead's universities, teachers and disciplines).
        from higher_ed import search

        search.register()

        # Nightly hot scores and run statuses, the monitoring figures every ten minutes (Celery beat); a new
        # schedule mapping, so that the project's settings keep only the project's own entries.
        from celery.schedules import crontab

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        for name, task, when, expires in (
            (
                "higher-ed-hot-scores",
                "higher_ed.tasks.refresh_hot_scores_task",
                crontab(hour=3, minute=10),
                3600,
            ),
            (
                "higher-ed-run-statuses",
                "higher_ed.tasks.refresh_run_statuses_task",
                crontab(hour=0, minute=1),
                3600,
            ),
            ("higher-ed-monitoring", "higher_ed.tasks.refresh_monitoring_task", 600.0, 540),
        ):
            schedule[name] = {"task": task, "schedule": when, "options": {"expires": expires}}
        app.conf.beat_schedule = schedule
