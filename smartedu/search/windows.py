"""Candidate windows kept per generation of the index: a search the index already answered is a key read.

``backend.candidates`` (a list's bounded read of the matches, ``match_candidates``) reads up to a limit of
matches of a query under facets: for a frequent term a posting list of tens of thousands of entries (会计,
护士) or a walk of thousands of documents (教), 10–25 ms at 3.8 million jobs, for the same answer every time
until the index changes. What it read is kept in the cache under the kind's *generation*
(``backend.generation``), a number the database moves in the same transaction as every change of that
kind's match rows (migration 0005: a job posted, edited, closed or hidden, its employer's name or status
changed, views refreshed, a rebuild or a bulk load), so a window is never read under a generation that
changed after it was computed:

* the generation is read first, then the matches, so what is kept under a generation is at least as new as
  that generation;
* a generation never comes back (the database's sequence: not after a rolled-back transaction, not in
  another database sharing the cache);
* an entry lives ``SEARCH_WINDOW_SECONDS`` at most, and never past the earliest expiry among its documents
  (a document that expires leaves the matches without any write);
* the facet values a kind hides right now (``SearchKind.hidden``) are part of the key.

What is kept is exactly what the backend returned (the same rows, in the same order), so a list's counts,
filters and orders are what they were; the job search still tests what it shows against the job rows.

No cache is used where the backend keeps no generation (SQLite, the embedded mode), where
``SEARCH_WINDOW_SECONDS`` is 0 (the embedded mode's default: its cache is per process), or for a while after
the cache failed (Redis down or hung: ``DOWN_SECONDS`` without asking it, then one try): the search then
reads the index as it always did.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import redis
from django.conf import settings
from django.core.cache import cache

from smartedu.search.registry import get_kind
from smartedu.search.text import ParsedQuery

if TYPE_CHECKING:
    from smartedu.search.backends.database import DatabaseBackend

logger = logging.getLogger(__name__)

Row = tuple[int, int, int]
# What a backend's read returns: the rows, and the earliest expiry among their documents (Unix seconds, or
# None when none expires).
Window = tuple[list[Row], int | None]

# The entries' layout ((rows, earliest expiry)), part of the key: a deploy that changes it reads none of the
# entries the previous code wrote.
FORMAT = 1
DOWN_SECONDS = 30.0
_down_until = 0.0
# Failures of the cache that mean "not reachable now"; anything else is a bug and raises.
CACHE_ERRORS = (redis.RedisError, OSError)


def enabled() -> bool:
    return settings.SEARCH_WINDOW_SECONDS > 0 and time.monotonic() >= _down_until


def _failed(action: str) -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    logger.warning(
        "search: the window cache failed (%s); reading the index for %.0f s",
        action,
        DOWN_SECONDS,
        exc_info=True,
    )


def key(
    backend: DatabaseBackend,
    kind: str,
    query: ParsedQuery,
    *,
    facets: Mapping[str, str],
    limit: int,
    walk: bool,
    generation: str,
) -> str:
    """The cache key of a window: the kind and its generation, then a digest of everything the read
    depends on (the backend, the query's terms as matched and ranked, facets, limit, walk, hidden values)."""
    search_kind = get_kind(kind)
    hidden = search_kind.hidden() if search_kind is not None and search_kind.hidden is not None else {}
    what = repr(
        (
            type(backend).__qualname__,
            [(term.text, tuple(term.tokens), term.cjk, term.single_character) for term in query.terms],
            query.prefix,
            sorted((str(k), str(v)) for k, v in facets.items()),
            limit,
            walk,
            sorted((str(k), sorted(str(v) for v in values)) for k, values in hidden.items()),
        )
    )
    digest = hashlib.sha1(what.encode(), usedforsecurity=False).hexdigest()
    return f"search:window:{FORMAT}:{kind}:{generation}:{digest}"


def candidates(
    backend: DatabaseBackend,
    kind: str,
    query: ParsedQuery,
    *,
    facets: Mapping[str, str],
    limit: int,
    walk: bool,
    read: Callable[[], Window],
) -> list[Row]:
    """The rows ``read()`` returns, from the cache when this generation's are kept there."""
    if not enabled():
        return read()[0]
    generation = backend.generation(kind)
    if generation is None:
        return read()[0]
    entry_key = key(backend, kind, query, facets=facets, limit=limit, walk=walk, generation=generation)
    try:
        entry = cache.get(entry_key)
    except CACHE_ERRORS:
        _failed("get")
        return read()[0]
    now = time.time()
    if entry is not None:
        rows, valid_until = entry
        if valid_until is None or now < valid_until:
            return rows
    rows, expires = read()
    timeout = settings.SEARCH_WINDOW_SECONDS
    if expires is not None:
        timeout = min(timeout, int(expires - now))
    if timeout >= 1:
        try:
            cache.set(entry_key, (rows, expires), timeout)
        except CACHE_ERRORS:
            _failed("set")
    return rows
