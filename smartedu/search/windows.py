"""Candidate windows kept in the cache: a search the index already answered is a key read.

``backend.candidates`` (a list's bounded read of the matches, ``match_candidates``) reads up to a limit of
matches of a query under facets: for a frequent term a posting list of tens of thousands of entries (会计,
护士) or a walk of thousands of documents (教), 10–25 ms at 3.8 million jobs, for the same answer every time
until a document that matches changes. What it read is kept in the cache with what it was read at
(``backend.window_state``, one statement):

* the kind's *generation* (migration 0005): a number the database moves in the same transaction as a
  change that could alter any window of the kind — views refreshed, an expiry or a title's key changed,
  a statement that changes many documents at once, a rebuild or a bulk load;
* the *position* of the change log (migration 0006): every other change of a document (a job posted,
  edited, closed or hidden, its employer's name or status changed) writes one row with the document's
  match vector before and after, in the same transaction.

A kept window is served while the generation is the same, its position is not below the log's floor
(what was pruned), and no row logged after its position matches its query under its facets, tested as
the index is searched: a job posted in 会计 drops the windows of 会计, not those of 护士 or of 会计 in
another province. The state is read before the matches, so what is kept is at least as new as the state
it is kept with; positions follow the writers' commit order (they hold the writers' lock), and
generations never come back (the database's sequence: not after a rolled-back transaction, not in another
database sharing the cache). An entry lives ``SEARCH_WINDOW_SECONDS`` at most, and never past the earliest
expiry among its documents (a document that expires leaves the matches without any write); the facet
values a kind hides right now (``SearchKind.hidden``) are part of the key.

What is kept is exactly what the backend returned (the same rows, in the same order), so a list's counts,
filters and orders are what they were; the job search still tests what it shows against the job rows.

No cache is used where the backend keeps no generations (SQLite, the embedded mode), where
``SEARCH_WINDOW_SECONDS`` is 0 (the embedded mode's default: its cache is per process), or for a while after
the cache failed (Redis down or hung: ``DOWN_SECONDS`` without asking it, then one try): the search then
reads the index as it always did.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import redis
from django.conf import settings
from django.core.cache import cache

from smartedu.search.registry import get_kind
from smartedu.search.text import ParsedQuery

if TYPE_CHECKING:
    from smartedu.search.backends.database import DatabaseBackend

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowState:
    """What a kept window is checked against (``backend.window_state``)."""

    generation: str  # the kind's and the whole match table's generations
    position: int  # the change log's position: its last committed row, or its floor
    stale: bool  # a window kept at the position asked about is stale, or none was asked about


Row = tuple[int, int, int]
# What a backend's read returns: the rows, and the earliest expiry among their documents (Unix seconds, or
# None when none expires).
Window = tuple[list[Row], int | None]

# The entries' layout ((rows, valid until, generation, position)), part of the key: a deploy that changes
# it reads none of the entries the previous code wrote.
FORMAT = 2
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
) -> str:
    """The cache key of a window: the kind, then a digest of everything the read depends on (the backend,
    the query's terms as matched and ranked, facets, limit, walk, hidden values)."""
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
    return f"search:window:{FORMAT}:{kind}:{digest}"


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
    """The rows ``read()`` returns, from the cache while nothing that could change them has happened."""
    if not enabled() or not backend.keeps_windows:
        return read()[0]
    entry_key = key(backend, kind, query, facets=facets, limit=limit, walk=walk)
    try:
        entry = cache.get(entry_key)
    except CACHE_ERRORS:
        _failed("get")
        entry = None
    since = entry[3] if entry is not None else None
    state = backend.window_state(kind, query, facets=facets, since=since)
    if state is None:
        return read()[0]
    now = time.time()
    if entry is not None:
        rows, valid_until, generation, _position = entry
        if generation == state.generation and not state.stale and now < valid_until:
            return rows
    rows, expires = read()
    valid_until = now + settings.SEARCH_WINDOW_SECONDS
    if expires is not None:
        valid_until = min(valid_until, expires)
    timeout = int(valid_until - now)
    if timeout >= 1 and enabled():
        try:
            cache.set(entry_key, (rows, valid_until, state.generation, state.position), timeout)
        except CACHE_ERRORS:
            _failed("set")
    return rows
