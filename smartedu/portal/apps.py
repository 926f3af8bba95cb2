from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's label suffix (``用户名:``): our catalogue translates it to the full-width colon of Chinese text.
gettext_noop(":")


def _admin_changed(sender: type, **kwargs: Any) -> None:
    """Something changed in Django's admin (it logs every change): anonymous visitors' pages are stale."""
    from smartedu.portal.pagecache import page_cache_invalidate

    page_cache_invalidate()


class PortalConfig(AppConfig):
    name = "smartedu.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        post_save.connect(_admin_changed, sender=LogEntry, dispatch_uid="portal-admin-changed")

        # The home page's cached block shows the announcements: a change shows at once.
        from smartedu.portal.fragments import fragments_invalidate_on_change

        fragments_invalidate_on_change("portal.Announcement")

        from smartedu.portal.registry import Seeder, register_seeder
        from smartedu.portal.seed import seed_announcements

        register_seeder(Seeder(key="portal", order=95, run=seed_announcements))
