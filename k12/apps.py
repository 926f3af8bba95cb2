from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class K12Config(AppConfig):
    name = "k12"
    verbose_name = _("K-12 education")

    def ready(self) -> None:
        from k12 import access, selectors
        from k12.models import ETextbook, LessonHour, Resource
        from k12.seed import seed_k12
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

        register_platform(
            Platform(
                key="k12",
                name=_("K-12 Smart Education"),
                description=_(
                    "Thematic education, course teaching by textbook down to lesson hours, "
                    "after-school services, teacher training, family education and reform practice."
                ),
                url_name="k12:index",
                order=1,
                # One query each: the home page counts every figure of every platform on a cold cache.
                figures=(
                    Figure("resources", _("resources in all"), selectors.resource_count),
                    Figure("lesson_hours", _("lesson hours"), selectors.lesson_hour_count),
                    Figure("editions", _("textbook editions"), selectors.edition_count),
                    Figure("etextbooks", _("e-textbooks"), selectors.etextbook_count),
                ),
            )
        )
        register_seeder(Seeder(key="k12", order=10, run=seed_k12))
        register_nav_link(
            NavLink(
                key="k12-my-learning",
                label=_("My learning"),
                url_name="k12:my-learning",
                order=20,
                allowed=access.has_own_learning,
            )
        )

        # Files that /media/ serves in the embedded mode: only those of visible content (drafts are 404).
        register_public_files(
            PublicFiles(
                model="k12.LessonHour",
                fields=("video", "video_mp4", "poster", "captions", "slides"),
                visible=LessonHour.objects.visible,
                inline=("video", "video_mp4", "poster", "captions"),
            )
        )
        register_public_files(
            PublicFiles(
                model="k12.Resource",
                fields=("video", "video_mp4", "poster", "captions", "file"),
                visible=Resource.objects.visible,
                inline=("video", "video_mp4", "poster", "captions"),
            )
        )
        register_public_files(
            PublicFiles(model="k12.ETextbook", fields=("file",), visible=ETextbook.objects.visible)
        )

        # Lessons, e-textbooks and resources in the federated search, and related-lesson recommendations.
        from k12.search import register as register_search

        register_search()

        # Views counted by the {% stats_beacon %} of the detail pages (smartedu.stats).
        from smartedu.stats.registry import ContentKind, register_kind

        for key, label, model, url_name, section, column, locate in (
            (
                "k12.resource",
                _("resource"),
                "k12.Resource",
                "k12:resource",
                "section",
                "column",
                selectors.resource_locations,
            ),
            ("k12.lesson", _("lesson"), "k12.Lesson", "k12:lesson", None, None, selectors.lesson_locations),
            (
                "k12.etextbook",
                _("e-textbook"),
                "k12.ETextbook",
                "k12:etextbook",
                None,
                None,
                selectors.etextbook_locations,
            ),
        ):
            register_kind(
                ContentKind(
                    key=key,
                    platform="k12",
                    label=label,
                    model=model,
                    url_name=url_name,
                    section_field=section,
                    column_field=column,
                    locate=locate,
                )
            )
