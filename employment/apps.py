from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("24365 employment service")

    def ready(self) -> None:
        from employment import selectors
        from smartedu.portal.registry import Figure, Platform, register_platform

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
                figures=(Figure("industries", _("industries"), selectors.industry_count),),
            )
        )
