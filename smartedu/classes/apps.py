from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    """A teacher's classes, join codes and memberships, shared by K-12, vocational and higher education."""

    name = "smartedu.classes"
    label = "classes"
    verbose_name = _("Classes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from smartedu.classes import access
        from smartedu.portal.registry import NavLink, register_nav_link

        register_nav_link(
            NavLink(
                key="classes",
                label=_("My classes"),
                url_name="classes:list",
                order=5,
                allowed=access.classes_page_openable,
            )
        )
