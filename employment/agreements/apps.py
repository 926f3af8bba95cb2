from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Tripartite online agreements (24365 part 2)."""

    name = "employment.agreements"
    label = "employment_agreements"
    verbose_name = _("Tripartite online agreements")

    def ready(self) -> None:
        from employment.agreements import access, selectors
        from employment.agreements.seed import seed_agreements
        from employment.outcomes import Outcome, register_outcome
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder

        register_outcome(
            Outcome(
                key="agreement_in_force",
                label=_("agreement in force"),
                order=40,
                graduates=selectors.graduates_in_force,
            )
        )
        register_seeder(Seeder(key="employment.agreements", order=41, run=seed_agreements))
        register_nav_link(
            NavLink(
                key="employment.agreements",
                label=_("Tripartite agreements"),
                url_name="employment:agreements",
                order=65,
                allowed=access.agreements_openable,
            )
        )
