from django.conf import settings
from django.urls import translate_url

from smartedu.portal.registry import platforms


def navigation(request) -> dict:
    return {
        "nav_platforms": platforms(),
        # The language switch posts to set_language, which only resolves paths of the default language
        # (it runs outside i18n_patterns): hand it this page's path in the default language.
        "language_switch_next": translate_url(request.get_full_path(), settings.LANGUAGE_CODE),
    }
