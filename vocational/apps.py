from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocationalConfig(AppConfig):
    name = "vocational"
    verbose_name = _("Vocational education")

    def ready(self) -> None:
        from smartedu.portal.registry import Figure, Platform, register_platform
        from vocational import selectors

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
                figures=(Figure("categories", _("specialty categories"), selectors.category_count),),
            )
        )
