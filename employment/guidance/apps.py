from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Career guidance (24365 part 2)."""

    name = "employment.guidance"
    label = "employment_guidance"
    verbose_name = _("Career guidance")

    def ready(self) -> None:
        from employment.guidance import access
        from employment.guidance.models import QualityReport
        from employment.guidance.search import register as register_search
        from employment.guidance.seed import seed_guidance
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder
        from smartedu.portal.uploads import PublicFiles, register_public_files
        from smartedu.stats.registry import ContentKind, register_kind

        register_seeder(Seeder(key="employment.guidance", order=45, run=seed_guidance))
        register_nav_link(
            NavLink(
                key="employment.guidance.results",
                label=_("My assessment results"),
                url_name="employment:guidance-results",
                order=66,
                allowed=access.results_openable,
            )
        )
        # Views counted by the {% stats_beacon %} of the article, case and encyclopedia pages.
        for key, label, model, url_name in (
            (
                "employment.article",
                _("policy or news article"),
                "employment_guidance.Article",
                "employment:guidance-article",
            ),
            (
                "employment.case",
                _("career case"),
                "employment_guidance.CareerCase",
                "employment:guidance-case",
            ),
            (
                "employment.encyclopedia",
                _("career encyclopedia entry"),
                "employment_guidance.EncyclopediaEntry",
                "employment:guidance-entry",
            ),
        ):
            register_kind(
                ContentKind(key=key, platform="employment", label=label, model=model, url_name=url_name)
            )
        # Quality reports are public: /media/ serves their PDFs (as attachments).
        register_public_files(
            PublicFiles(
                model="employment_guidance.QualityReport", fields=("file",), visible=QualityReport.objects.all
            )
        )
        register_search()

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        schedule["employment-remind-live-courses"] = {
            "task": "employment.guidance.tasks.remind_live_courses_task",
            "schedule": 300.0,
            "options": {"expires": 280},
        }
        app.conf.beat_schedule = schedule
