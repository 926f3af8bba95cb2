from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from smartedu.portal.registry import nav_links_for, platforms


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_platforms": platforms(),
        # Lazy: evaluated only when a template reads it, with the user the middleware attached.
        "nav_account_links": lambda: nav_links_for(getattr(request, "user", None)),
        # The language switch posts to set_language, which only resolves paths of the default language
        # (it runs outside i18n_patterns): hand it this page's path in the default language.
        "language_switch_next": translate_url(request.get_full_path(), settings.LANGUAGE_CODE),
    }
