from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("24365 employment service")

    def ready(self) -> None:
        # What the cached blocks of the home page show besides the content kinds (jobs and employers make
        # them stale already): a change makes them stale at once (smartedu/portal/fragments.py).
        from smartedu.portal.fragments import fragments_invalidate_on_change

        fragments_invalidate_on_change("employment.Industry", "accounts.Province")

        from employment import access, selectors
        from employment.search import register as register_search
        from employment.seed import seed_employment
        from smartedu.portal.registry import (
            Figure,
            NavLink,
            Platform,
            Seeder,
            register_nav_link,
            register_platform,
            register_seeder,
        )
        from smartedu.stats.registry import ContentKind, register_kind

        register_platform(
            Platform(
                key="employment",
                name=_("24365 Graduate Employment Service"),
                description=_(
                    "Résumés and job intentions, verified employers and their jobs, fairs, online "
                    "agreements and career guidance."
                ),
                url_name="employment:index",
                order=4,
                figures=(
                    Figure("jobs", _("open jobs"), selectors.visible_job_count),
                    Figure("employers", _("verified employers"), selectors.verified_employer_count),
                    Figure("graduates", _("verified graduates"), selectors.verified_graduate_count),
                    Figure("industries", _("industries"), selectors.industry_count),
                ),
            )
        )
        register_seeder(Seeder(key="employment", order=40, run=seed_employment))

        for key, label, url_name, order, allowed in (
            ("employment.me", _("My job search"), "employment:me", 60, access.is_graduate),
            (
                "employment.employer",
                _("Recruitment"),
                "employment:employer-home",
                61,
                access.is_employer_account,
            ),
            (
                "employment.officer",
                _("Graduates of my university"),
                "employment:officer",
                62,
                access.officer_openable,
            ),
            ("employment.review", _("Employer review"), "employment:review", 63, access.employers_reviewable),
            (
                "employment.registry",
                _("Student-status registry"),
                "employment:registry",
                64,
                access.registry_importable,
            ),
        ):
            register_nav_link(NavLink(key=key, label=label, url_name=url_name, order=order, allowed=allowed))

        # Views counted by the {% stats_beacon %} of the job and employer pages (section: industry).
        register_kind(
            ContentKind(key="employment.home", platform="employment", label=_("employment home"), model=None)
        )
        register_kind(
            ContentKind(
                key="employment.job",
                platform="employment",
                label=_("job"),
                model="employment.Job",
                url_name="employment:job",
                locate=selectors.job_locations,
            )
        )
        register_kind(
            ContentKind(
                key="employment.employer",
                platform="employment",
                label=_("employer"),
                model="employment.Employer",
                title_field="name",
                url_name="employment:employer",
                locate=selectors.employer_locations,
            )
        )

        # Licences and résumé attachments are never registered with /media/ (uploads.register_public_files):
        # their owners and reviewers download them through views that check access.
        register_search()

        from smartedu.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        schedule["employment-close-expired-jobs"] = {
            "task": "employment.tasks.close_expired_jobs_task",
            "schedule": 3600.0,
            "options": {"expires": 3000},
        }
        app.conf.beat_schedule = schedule
