"""Parts of pages that are the same for every visitor, rendered once per language and content generation.

A page rendered for a signed-in visitor, or for an anonymous one past the page cache, spends most of its time
in template rendering: the navigation, K-12's section and column lists, the textbook choice, higher
education's facets are the same HTML for everyone, built with dozens of ``{% url %}`` each (issue 14). The
``{% fragment %}`` tag (``portal_tags``) keeps such a block's HTML in the project's cache::

    {% load portal_tags %}
    {% fragment "k12.sections" %}…{% endfragment %}
    {% fragment "k12.choice" chosen.stage chosen.book %}…{% endfragment %}   (one entry per value)
    {% fragment "k12.hot" timeout=60 %}…{% endfragment %}                   (view counts: a minute at most)

The key is the release (templates and static files: a deploy renders every block anew), the fragment's name,
the active language and the values it varies on; nothing personal may be
rendered inside one (no user, no CSRF token, no "current page" marker unless it is a vary value). The
values a block reads should reach the template lazily (a selector passed uncalled, a ``SimpleLazyObject``),
so a hit also saves the queries.

Freshness: each entry carries the **content generation** it was rendered in, the one the anonymous page cache
uses for the request's page (``pagecache.generation_keys``: a sub-platform's pages follow the site's counter
and their area's, other pages and blocks rendered without a request every change). Whatever makes a cached
page stale — a save or delete of a content kind or of a model registered with
``fragments_invalidate_on_change``, a publishing service, a platform switch, any change in the admin —
starts a new generation after its commit, so an edit shows at once in both. An
entry also expires after ``FRAGMENT_CACHE_SECONDS`` (600; ``0`` turns fragments off) or its own ``timeout``.
The generation is read once per request, together with the first fragment unless this process holds a copy
of it (one round trip); a block this process already holds for that generation costs no round trip
(``_Local``). A cache that does not answer
never breaks a page: the block is rendered.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.template.autoreload import get_template_directories
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from smartedu.portal.pagecache import generation_keys, generation_of, page_cache_invalidate

logger = logging.getLogger(__name__)

_REQUEST_ATTRIBUTE = "_fragment_generation"
T = TypeVar("T")


@functools.cache
def release() -> str:
    """What the blocks' HTML depends on besides the data: the templates and the static files' names.

    A deploy that changes a template or a stylesheet changes it (every block is then rendered anew), while
    the processes of one installation agree. Computed once per process from the template files' sizes and
    times and the static files' manifest."""
    digest = hashlib.sha256()
    for directory in sorted(get_template_directories()):
        for path in sorted(Path(directory).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
    digest.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return digest.hexdigest()[:16]


def fragment_key(name: str, language: str, vary: Iterable[Any]) -> str:
    text = "\x1f".join([release(), name, language, *(str(value) for value in vary)])
    return "fragment:" + hashlib.sha256(text.encode()).hexdigest()


class _Local:
    """This process's copies of the blocks it served: ``key → (generation, value, expires at)``.

    A block is the same in every process of a generation, so once a process has it, only the generation
    (one read per request, shared with the first block) needs the cache: the rest of a page's blocks cost
    no round trip. A copy is used only in the generation it was rendered in, and no longer than the shared
    entry lives (its expiry time travels with it); at most ``LOCAL_BLOCKS`` copies, least recently used
    first out, and none larger than ``LOCAL_BLOCK_CHARS`` (characters of text, or bytes of anything else,
    which is kept pickled so that no two requests share an object).
    """

    def __init__(self) -> None:
        self._copies: OrderedDict[str, tuple[Any, Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, generation: Any) -> tuple[bool, Any]:
        with self._lock:
            copy = self._copies.get(key)
            if copy is None:
                return False, None
            if copy[0] != generation or copy[2] <= time.time():
                del self._copies[key]
                return False, None
            self._copies.move_to_end(key)
        value = copy[1]
        # Anything but text is kept pickled: each request gets its own objects, as from the shared cache.
        return True, (value if isinstance(value, str) else pickle.loads(value))  # noqa: S301 (our own)

    def holds(self, key: str) -> bool:
        """Whether this process has a copy of ``key`` (of any generation: it may be stale)."""
        return key in self._copies

    def put(self, key: str, entry: tuple[Any, Any, float]) -> None:
        value = entry[1]
        if not isinstance(value, str):
            value = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(value) > LOCAL_BLOCK_CHARS:
            return
        with self._lock:
            self._copies[key] = (entry[0], value, entry[2])
            self._copies.move_to_end(key)
            while len(self._copies) > LOCAL_BLOCKS:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()


LOCAL_BLOCKS = 512
LOCAL_BLOCK_CHARS = 256 * 1024
_local = _Local()


def cached_block(
    *,
    name: str,
    vary: Iterable[Any],
    render: Callable[[], T],
    request: HttpRequest | None = None,
    timeout: int | None = None,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """``render()``'s value from this process's copy or the cache if it was computed in the current
    generation, else computed and stored (a value the cache can pickle: a block's HTML, or the HTML with a
    figure the view needs). ``request`` (if any) keeps the generation read for the rest of the request;
    a value ``keep`` refuses (a missing object: a probe of random ids must not fill the cache) is not
    stored."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if timeout is not None:
        seconds = min(timeout, seconds)
    if seconds <= 0:
        return render()
    key = fragment_key(name, get_language() or "", vary)
    generation = getattr(request, _REQUEST_ATTRIBUTE, None)
    entry = None
    try:
        if generation is None:
            # The block itself comes with the generation only if this process has no copy of it: a copy is
            # usually current, and a block's value is the larger part of the round trip.
            copied = _local.holds(key)
            keys = generation_keys(request)  # the request's area (pagecache.py), or every change
            found = cache.get_many(keys if copied else [key, *keys])
            # (a cache that lost a counter gets a random one: no process's old copy can match it)
            generation = generation_of(keys, found)
            if request is not None:
                setattr(request, _REQUEST_ATTRIBUTE, generation)
            held, value = _local.get(key, generation)
            if held:
                return cast(T, value)
            entry = cache.get(key) if copied else found.get(key)
        else:
            held, value = _local.get(key, generation)
            if held:
                return cast(T, value)
            entry = cache.get(key)
    except Exception:
        logger.warning("fragments: the cache does not answer, the block is rendered", exc_info=True)
        return render()
    if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == generation and entry[2] > time.time():
        _local.put(key, entry)
        return cast(T, entry[1])
    value = render()
    if keep is not None and not keep(value):
        return value
    entry = (generation, value, time.time() + seconds)
    try:
        cache.set(key, entry, seconds)
    except Exception:
        logger.warning("fragments: cannot store a block", exc_info=True)
    else:
        _local.put(key, entry)
    return value


def fragment_render(
    *,
    name: str,
    vary: Iterable[Any],
    render: Callable[[], str],
    request: HttpRequest | None = None,
    timeout: int | None = None,
) -> SafeString:
    """A block's HTML (rendered by the template engine, so escaped already) through :func:`cached_block`."""
    html = cached_block(name=name, vary=vary, render=lambda: str(render()), request=request, timeout=timeout)
    return mark_safe(html)  # noqa: S308 -- the template engine escaped it


def _changed(sender: type[models.Model], **kwargs: object) -> None:
    page_cache_invalidate()


def fragments_invalidate_on_change(*model_labels: str) -> None:
    """Saves and deletes of these models (``"k12.Section"``) start a new generation after their commit.

    For the models that cached blocks show and that are not content kinds (which do it already): sections,
    columns, textbooks, categories… Call it from ``AppConfig.ready()``. Queryset updates send no signal: a
    service that publishes with ``update()`` calls ``page_cache_invalidate()`` itself."""
    from django.apps import apps

    for label in model_labels:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"fragments-saved-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"fragments-deleted-{label}")
