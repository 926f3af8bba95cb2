from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's label suffix (``用户名:``): our catalogue translates it to the full-width colon of Chinese text.
gettext_noop(":")


class PortalConfig(AppConfig):
    name = "smartedu.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from smartedu.portal.registry import Seeder, register_seeder
        from smartedu.portal.seed import seed_announcements

        register_seeder(Seeder(key="portal", order=95, run=seed_announcements))
