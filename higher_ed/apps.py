from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HigherEdConfig(AppConfig):
    name = "higher_ed"
    verbose_name = _("Higher education")

    def ready(self) -> None:
        from higher_ed import selectors
        from smartedu.portal.registry import Figure, Platform, register_platform

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
                figures=(
                    Figure("categories", _("discipline categories"), selectors.category_count),
                    Figure("classes", _("specialty classes"), selectors.specialty_class_count),
                ),
            )
        )
