from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class K12Config(AppConfig):
    name = "k12"
    verbose_name = _("K-12 education")

    def ready(self) -> None:
        from k12 import selectors
        from smartedu.portal.registry import Figure, Platform, register_platform

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
                figures=(
                    Figure("editions", _("textbook editions"), selectors.edition_count),
                    Figure("subjects", _("subjects"), selectors.subject_count),
                ),
            )
        )
