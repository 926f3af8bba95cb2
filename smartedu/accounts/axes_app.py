"""django-axes under a name the admin shows in the user's language (its own AppConfig has none: "AXES").

A module of its own: ``smartedu.accounts.apps`` must keep exactly one AppConfig, or Django would not pick
``AccountsConfig`` for ``smartedu.accounts``.
"""

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes_apps.AppConfig):
    verbose_name = _("Login lockouts")
