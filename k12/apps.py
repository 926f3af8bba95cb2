from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class K12Config(AppConfig):
    name = "k12"
    verbose_name = _("K-12 education")

    def ready(self) -> None:
        from k12 import access, selectors, taxonomy
        from k12.models import ETextbook, Lesson, LessonHour, Resource
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

        # Stages, grades, subjects, editions and publishers are held per process (k12/taxonomy.py).
        taxonomy.connect_signals()
        # What the cached blocks of K-12's pages show besides the content kinds (which make them stale
        # already): a change makes them stale at once (smartedu/portal/fragments.py).
        from smartedu.portal.fragments import fragments_invalidate_on_change

        fragments_invalidate_on_change(
            "k12.Section", "k12.Column", "k12.PartnerLink", "k12.Textbook", "k12.Unit", "k12.LessonHour",
            "k12.Stage", "k12.Grade", "k12.Subject", "k12.Edition", "k12.Publisher", "k12.ETextbookChapter",
        )  # fmt: skip
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
        from k12.seed.teaching import seed_k12_teaching

        register_seeder(Seeder(key="k12-teaching", order=11, run=seed_k12_teaching))
        register_nav_link(
            NavLink(
                key="k12-my-learning",
                label=_("My learning"),
                url_name="k12:my-learning",
                order=20,
                allowed=access.my_learning_openable,
            )
        )

        register_nav_link(
            NavLink(
                key="k12-teaching",
                label=_("Lesson preparation and homework"),
                url_name="k12:teaching",
                order=21,
                allowed=access.can_teach,
            )
        )

        # Homework and practice on a lesson's exercises go through the shared question engine: a lesson owns
        # its quizzes; teachers manage them (they see answers); homework is limited to its class.
        from django.urls import reverse

        from smartedu.quizzes.registry import register_quiz_owner

        register_quiz_owner(
            "k12.lesson",
            platform="k12",
            label=_("lesson"),
            may_view=lambda user, pk: Lesson.objects.visible().filter(pk=pk).exists(),
            page_url=lambda pk: reverse("k12:lesson", args=[pk]),
            may_manage=access.lesson_teacher_view,
        )

        # A linked parent's view of the child's learning record (the family page links it).
        from smartedu.guardians.registry import ChildRecord, register_child_record

        register_child_record(
            ChildRecord(
                key="k12", label=_("K-12 learning record: lessons, homework, scores"), url_name="k12:child"
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
