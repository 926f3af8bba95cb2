"""A per-page cache for anonymous visitors: every public page, keyed by its URL, in the project's cache.

What is cached: a ``GET`` of a public page (not under ``PAGE_CACHE_EXCLUDE``) by a visitor who sends no
session cookie, no message cookie and no ``Authorization`` header, answered ``200`` with no cookie set and no
``Cache-Control: private/no-cache/no-store``. A page that used a CSRF token sets the CSRF cookie, so it is
never stored: nothing personal can be served to someone else. Signed-in visitors (who carry the session
cookie) always get their page rendered.

The key is the scheme, host, path and sorted query string: the path alone decides the language (Chinese at
the root, English under ``/en/``: ``i18n_patterns`` with ``prefix_default_language=False``), and the page
links to the other language instead of posting a form. Views are still counted, by the page's beacon.

A page that counts something each time it is answered (``/search/`` counts its query) names a registered
action with ``count_on_every_answer``: the view counts the answer it renders, the entry keeps the action's
name and payload, and each later hit runs the action before the page is served (its failure is logged and
never breaks the page). Such a page is cached like any other; nothing about the visitor is kept.

Freshness: an entry lives ``PAGE_CACHE_SECONDS`` (60; ``0`` turns the cache off) and carries the
generation it was rendered in. ``page_cache_invalidate()`` starts a new generation, so every entry is stale at
once; it runs after the commit that saved or deleted an object of a registered content kind (a lesson
published, a course edited) and after any change made in Django's admin. The page and the generation are
read in one round trip (``get_many``). A cache that does not answer never breaks a page: it is rendered.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "page:generation"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")
CACHE_HEADER = "X-Page-Cache"


def page_cache_invalidate() -> None:
    """Make every cached page stale (after the current transaction commits)."""
    transaction.on_commit(_new_generation)


def generation_start() -> int:
    """A new generation counter's first value: random, so that a cache that lost its counter (restarted,
    flushed) never starts again at a value some process saw before."""
    return secrets.randbelow(2**62)


def generation_bump(key: str, *, timeout: int | None = None) -> None:
    """Move the generation counter ``key`` on (created at a random value if the cache has none).
    Raises what the cache raises."""
    cache.add(key, generation_start(), timeout=timeout)
    cache.incr(key)


def generation_current(key: str, found: dict[str, Any] | None = None, *, timeout: int | None = None) -> Any:
    """The generation counter ``key`` as the cache holds it (from ``found``, a ``get_many`` that asked for
    it, if given); a cache that lost it gets a new random one, so nothing kept for an old value can match.
    Raises what the cache raises."""
    if found is None:
        found = cache.get_many([key])
    if key in found:
        return found[key]
    cache.add(key, generation_start(), timeout=timeout)
    return cache.get(key)


def _new_generation() -> None:
    try:
        generation_bump(GENERATION_KEY)
    except Exception:  # a cache that is down holds no page either: it cannot serve a stale one
        logger.warning("page cache: cannot start a new generation", exc_info=True)


HitAction = Callable[[HttpRequest, Any], object]
_hit_actions: dict[str, HitAction] = {}


def hit_action_register(name: str, action: HitAction) -> None:
    """``action(request, payload)`` runs for each answer of a cached page that asked for it (an app's
    ``ready()`` registers it)."""
    _hit_actions[name] = action


def count_on_every_answer(response: HttpResponse, name: str, payload: Any) -> None:
    """Have the page cache run the action ``name`` with ``payload`` (picklable, nothing personal) for every
    answer it serves of this page; the view has run its own count for this one."""
    response.page_cache_action = (name, payload)  # type: ignore[attr-defined]


def _run_hit_action(request: HttpRequest, action: tuple[str, Any] | None) -> None:
    if action is None:
        return
    name, payload = action
    try:
        _hit_actions[name](request, payload)
    except Exception:
        logger.warning("page cache: the action %s of a cached page failed", name, exc_info=True)


def _neutral_path(path: str) -> str:
    """The path without its language prefix: ``/en/k12/`` → ``/k12/``."""
    language = get_language_from_path(path)
    return path[len(language) + 1 :] if language and path.startswith(f"/{language}/") else path


def request_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    if (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    ):
        return False
    path = _neutral_path(request.path_info)
    return not path.startswith(tuple(settings.PAGE_CACHE_EXCLUDE))


def response_cacheable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(directive in control for directive in UNCACHEABLE_DIRECTIVES)


def page_key(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "page:" + hashlib.sha256(url.encode()).hexdigest()


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous visitors' pages (see the module's docstring).

    Place it after WhiteNoise and before ``SessionMiddleware``: a hit skips sessions, CSRF, locale,
    authentication, messages and the view, while the security and CSP headers of the middleware above it
    are still added to every response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_cacheable(request):
            return self.get_response(request)
        key = page_key(request)
        generation: Any = None
        try:
            found = cache.get_many([key, GENERATION_KEY])
            generation = generation_current(GENERATION_KEY, found)  # a cache without one starts one
            entry = found.get(key)
        except Exception:
            logger.warning("page cache: not answering, the page is rendered", exc_info=True)
            return self.get_response(request)
        if entry is not None and entry[0] == generation:
            status, headers, content = entry[1:4]
            _run_hit_action(request, entry[4] if len(entry) > 4 else None)
            response = HttpResponse(content, status=status, headers=headers)
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and response_cacheable(response):
            headers = {name: value for name, value in response.items() if name != CACHE_HEADER}
            try:
                cache.set(
                    key,
                    (
                        generation,
                        response.status_code,
                        headers,
                        response.content,
                        getattr(response, "page_cache_action", None),
                    ),
                    settings.PAGE_CACHE_SECONDS,
                )
            except Exception:
                logger.warning("page cache: cannot store a page", exc_info=True)
            response[CACHE_HEADER] = "miss"
        return response
