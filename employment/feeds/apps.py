from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    """Job feeds shared with partner sites (24365 part 2)."""

    name = "employment.feeds"
    label = "employment_feeds"
    verbose_name = _("Job feeds shared with partner sites")

    def ready(self) -> None:
        from employment.feeds import access
        from smartedu.portal.registry import NavLink, register_nav_link

        register_nav_link(
            NavLink(
                key="employment.feeds",
                label=_("Job feeds"),
                url_name="employment:feeds-home",
                order=66,
                allowed=access.feeds_importable,
            )
        )
