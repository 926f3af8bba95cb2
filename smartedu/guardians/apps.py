from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardiansConfig(AppConfig):
    """Parents (家长) linked to their children's accounts, and the guardian's consent for a minor (PIPL)."""

    name = "smartedu.guardians"
    label = "guardians"
    verbose_name = _("Parents and children")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from smartedu.guardians import access
        from smartedu.guardians.seed import seed_guardians
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder

        register_seeder(Seeder(key="guardians", order=1, run=seed_guardians))

        register_nav_link(
            NavLink(
                key="family",
                label=_("Family"),
                url_name="guardians:index",
                order=6,
                allowed=access.family_page_openable,
            )
        )
