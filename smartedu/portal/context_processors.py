from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from smartedu.portal.registry import nav_badges_for, nav_links_for, platforms


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """This page in each language: plain links (the path decides the language), so that a page holds no
    CSRF token and can be cached for anonymous visitors (smartedu/portal/pagecache.py)."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_platforms": platforms(),
        # Lazy: evaluated only when a template reads it, with the user the middleware attached.
        "nav_account_links": lambda: nav_links_for(getattr(request, "user", None)),
        "nav_account_badges": lambda: nav_badges_for(getattr(request, "user", None)),
        "language_links": lambda: language_links(request),
    }
