from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "smartedu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from smartedu.accounts import seed
        from smartedu.portal.registry import Seeder, register_seeder

        register_seeder(Seeder(key="accounts", order=0, run=seed.seed_accounts))
