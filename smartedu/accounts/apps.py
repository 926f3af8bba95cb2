from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "smartedu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from smartedu.accounts import access, seed
        from smartedu.portal.registry import NavLink, Seeder, register_nav_link, register_seeder

        register_seeder(Seeder(key="accounts", order=0, run=seed.seed_accounts))
        register_nav_link(
            NavLink(
                key="approvals",
                label=_("Approvals"),
                url_name="accounts:approvals",
                order=10,
                allowed=access.approvals_openable,
            )
        )
        register_nav_link(
            NavLink(
                key="lockouts",
                label=_("Locked accounts"),
                url_name="accounts:lockouts",
                order=11,
                allowed=access.lockouts_openable,
            )
        )
