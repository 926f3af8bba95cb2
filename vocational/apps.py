from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocationalConfig(AppConfig):
    name = "vocational"
    verbose_name = _("Vocational education")

    def ready(self) -> None:
        from django.urls import reverse

        # What the cached catalogue block of the home page shows besides the content kinds (which make it
        # stale already): a change makes it stale at once (smartedu/portal/fragments.py).
        from smartedu.portal.fragments import fragments_invalidate_on_change

        fragments_invalidate_on_change(
            "vocational.SpecialtyCategory", "vocational.SpecialtyClass", "vocational.Specialty"
        )

        from smartedu.portal.registry import (
            Figure,
            NavLink,
            Platform,
            Seeder,
            register_nav_link,
            register_platform,
            register_seeder,
        )
        from smartedu.portal.uploads import PublicFiles, register_public_files
        from smartedu.quizzes.registry import register_quiz_owner
        from smartedu.stats.registry import ContentKind, register_kind
        from vocational import access, selectors
        from vocational.models import Resource
        from vocational.seed import seed_vocational

        register_platform(
            Platform(
                key="vocational",
                name=_("Vocational Education Smart Platform"),
                description=_(
                    "Specialty resource libraries, quality online courses and open classes that "
                    "teachers turn into their own courses."
                ),
                url_name="vocational:index",
                order=2,
                # One query each (the home page counts every figure on a cold cache).
                figures=(
                    Figure("categories", _("specialty categories"), selectors.category_count),
                    Figure("libraries", _("specialty resource libraries"), selectors.library_count),
                    Figure("personal_courses", _("teacher-built courses"), selectors.personal_course_count),
                ),
            )
        )
        register_seeder(Seeder(key="vocational", order=20, run=seed_vocational))
        register_nav_link(
            NavLink(
                key="vocational.me",
                label=_("My vocational courses"),
                url_name="vocational:me",
                order=25,
                allowed=access.my_courses_openable,
            )
        )
        register_nav_link(
            NavLink(
                key="vocational.rates",
                label=_("Vocational learning rates"),
                url_name="vocational:rates",
                order=45,
                allowed=access.admin_rates_openable,
            )
        )

        from smartedu.stats.registry import DashboardPanel, register_panel

        register_panel(
            DashboardPanel(
                key="vocational.rates",
                label=_("Vocational learning rates"),
                url_name="vocational:rates",
                order=70,
                allowed=access.admin_rates_openable,
                description=_(
                    "Knowledge mastery, class interaction, teacher response and online activity rates by "
                    "college and province (an administrator's own province)."
                ),
            )
        )

        # Every resource carries exercises through the shared question engine.
        register_quiz_owner(
            "vocational.resource",
            platform="vocational",
            label=_("resource"),
            may_view=access.resource_visible,
            page_url=lambda pk: reverse("vocational:resource", args=[pk]),
            may_manage=access.resource_manageable,
        )

        # /media/ serves a resource's file only while the resource is visible (a teacher's own files are
        # reached through the course page's link; they are served to whoever may see the resource).
        register_public_files(
            PublicFiles(
                model="vocational.Resource",
                fields=("file",),
                visible=lambda: Resource.objects.filter(is_published=True),
                inline=("file",),
            )
        )

        # Views counted by the {% stats_beacon %} of the detail pages.
        register_kind(
            ContentKind(key="vocational.home", platform="vocational", label=_("vocational home page"))
        )
        for key, label, model, url_name, locate in (
            (
                "vocational.course",
                _("course"),
                "vocational.Course",
                "vocational:course",
                selectors.course_locations,
            ),
            (
                "vocational.library",
                _("resource library"),
                "vocational.Library",
                "vocational:library",
                selectors.library_locations,
            ),
            (
                "vocational.resource",
                _("resource"),
                "vocational.Resource",
                "vocational:resource",
                selectors.resource_locations,
            ),
            (
                "vocational.textbook",
                _("textbook"),
                "vocational.Textbook",
                "vocational:textbook",
                selectors.textbook_locations,
            ),
        ):
            register_kind(
                ContentKind(
                    key=key, platform="vocational", label=label, model=model, url_name=url_name, locate=locate
                )
            )

        from vocational.search import register as register_search

        register_search()

        from celery.schedules import crontab

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        for name, task, when, expires in (
            ("vocational-study-flush", "vocational.tasks.flush_study_task", 60.0, 55),
            ("vocational-metrics", "vocational.tasks.refresh_metrics_task", crontab(hour=2, minute=20), 3600),
            ("vocational-quality", "vocational.tasks.refresh_quality_task", crontab(hour=2, minute=40), 3600),
        ):
            schedule[name] = {"task": task, "schedule": when, "options": {"expires": expires}}
        app.conf.beat_schedule = schedule
