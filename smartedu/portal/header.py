"""The site's header (``{% site_header %}`` in base.html): rendered once per language, page kind and account
menu, with the visitor's own parts as holes filled per request.

Every page, anonymous past the page cache or signed in, carries the header: the brand, the sub-platforms'
navigation, the search box, the language links and the account menu — two dozen ``{% url %}`` and
``{% translate %}``, a third of a millisecond or more, the same HTML for everyone on the same kind of page.
It is a cached block (smartedu/portal/fragments.py) that varies on the language, the view (its "current
page" markers), whether the visitor is signed in and the account menu's links and badge counts, and holds
holes (``\\x1fname\\x1f``) for what is the visitor's or the address's own:

* ``next`` — this page's address, for the login links;
* ``lang-<code>`` — this page in each language (plain links: the path decides the language, so a page holds
  no CSRF token and can be cached whole for anonymous visitors, smartedu/portal/pagecache.py);
* ``name`` — the signed-in user's name (the "Mine" link's title);
* ``csrf`` — the logout form's CSRF token;
* ``query`` — on the search page, the query the search box holds.

The holes are filled in one pass, each value escaped for where it goes; nothing personal is ever stored.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.functional import LazyObject, empty
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from smartedu.portal.fragments import fragment_render
from smartedu.portal.registry import NavLink, nav_badges_for, nav_links_for, platforms

_HOLES = re.compile("\x1f([a-z0-9-]+)\x1f")


def _hole(name: str) -> SafeString:
    return mark_safe(f"\x1f{name}\x1f")  # noqa: S308 (a control character and a name: nothing to escape)


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """This page in each language: plain links (the path decides the language)."""
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


_link_texts: dict[tuple[str | None, str, str], dict[str, tuple[str, str]]] = {}


def _link_text(link: NavLink) -> tuple[str, str]:
    """A menu link's label and address, kept per language and URL configuration (the menu's links would
    otherwise be translated and reversed on every signed-in page)."""
    key = (get_language(), get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    texts = _link_texts.setdefault(key, {})
    text = texts.get(link.key)
    if text is None:
        text = texts[link.key] = (str(link.label), reverse(link.url_name))
    return text


def _unwrapped(lazy: LazyObject) -> Any:
    """The object behind Django's lazy ``request.user`` (evaluated now if it was not yet)."""
    if lazy._wrapped is empty:  # type: ignore[attr-defined]
        lazy._setup()  # type: ignore[attr-defined]
    return lazy._wrapped  # type: ignore[attr-defined]


def account_items(user: Any) -> list[AccountItem]:
    """The account menu of ``user``: each link they may follow, its address and badge count."""
    if isinstance(user, LazyObject):  # each attribute read through the proxy costs; the links read many
        user = _unwrapped(user)
    badges = nav_badges_for(user)
    return [
        AccountItem(link.key, *_link_text(link), badge=badges.get(link.key, 0))
        for link in nav_links_for(user)
    ]


def site_header(request: HttpRequest | None, user: Any, csrf_token: Any = None) -> SafeString:
    """The header's HTML for this request (see the module's docstring); ``csrf_token`` is the template
    context's (the page's forms carry the same token: masked once per page)."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    app_name = match.app_name if match else ""
    items = account_items(user) if signed_in else []
    on_search = view_name == "search:search"
    languages = language_links(request) if request is not None else []

    def render() -> str:
        return render_to_string(
            "includes/site_header.html",
            {
                "signed_in": signed_in,
                "view_name": view_name,
                "app_name": app_name,
                "platforms": platforms(),
                "account_items": items,
                "languages": [
                    {**language, "url": _hole(f"lang-{language['code']}")} for language in languages
                ],
                "holes": {
                    "next": _hole("next"),
                    "name": _hole("name"),
                    "csrf": _hole("csrf"),
                    "query": _hole("query") if on_search else "",
                },
            },
        )

    vary = [signed_in, view_name, app_name, *(f"{i.key}\x1e{i.label}\x1e{i.url}\x1e{i.badge}" for i in items)]
    html = fragment_render(name="base.header", vary=vary, render=render, request=request)
    values: dict[str, str] = {
        f"lang-{language['code']}": conditional_escape(language["url"]) for language in languages
    }
    if request is not None:
        values["next"] = conditional_escape(urlencode(request.get_full_path()))
        if on_search:
            values["query"] = conditional_escape(request.GET.get("q", "")[:100])
    if signed_in:
        values["name"] = conditional_escape(user.first_name or user.username)
        if csrf_token is None and request is not None:
            csrf_token = get_token(request)
        values["csrf"] = conditional_escape(str(csrf_token or ""))
    return mark_safe(_HOLES.sub(lambda hole: values.get(hole.group(1), ""), html))  # noqa: S308 (escaped)
