import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.functional import LazyObject, empty
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
            "url": _translated(path, code, current, get_script_prefix(), get_urlconf()),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@functools.lru_cache(maxsize=4096)
def _translated(path: str, code: str, current: str, prefix: str, urlconf: Any) -> str:
    """``translate_url`` (a resolve and a reverse: 0.05 ms a link), kept per page address and language; the
    active language, script prefix and URL configuration it depends on are part of the key."""
    return translate_url(path, code)


@dataclass(frozen=True)
class AccountItem:
    key: str
    label: str
    url: str
    badge: int


_addresses: dict[tuple[str, str | None, str, str], str] = {}


def _address(url_name: str) -> str:
    """``reverse(url_name)`` for a page without arguments, kept per language and URL configuration (the
    account menu's dozen links would otherwise be reversed on every signed-in page)."""
    key = (url_name, get_language(), get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = reverse(url_name)
    return address


def _unwrapped(lazy: LazyObject) -> Any:
    """The object behind Django's lazy ``request.user`` (evaluated now if it was not yet)."""
    if lazy._wrapped is empty:  # type: ignore[attr-defined]
        lazy._setup()  # type: ignore[attr-defined]
    return lazy._wrapped  # type: ignore[attr-defined]


def account_items(request: HttpRequest) -> list[AccountItem]:
    """The account menu of the request's user: each link they may follow, its address and badge count.

    Built here in one pass (the template used to reverse each link and loop over the badges for each)."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject):  # each attribute read through the proxy costs; the links read many
        user = _unwrapped(user)
    badges = nav_badges_for(user)
    return [
        AccountItem(
            key=link.key, label=str(link.label), url=_address(link.url_name), badge=badges.get(link.key, 0)
        )
        for link in nav_links_for(user)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_platforms": platforms(),
        # Lazy: evaluated only when a template reads it, with the user the middleware attached.
        "nav_account_items": lambda: account_items(request),
        "language_links": lambda: language_links(request),
    }
