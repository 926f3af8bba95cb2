"""The interface every search backend implements (docs/search.md explains each method).

The PostgreSQL and SQLite backends keep documents as rows of ``SearchDocument`` and match their tokens in
the database; an OpenSearch/Elasticsearch backend would keep the same documents in an index (the token
columns become a ``whitespace``-analysed text field, the facets keyword fields) and answer the same calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import QuerySet

from smartedu.portal.registry import Progress, no_progress
from smartedu.search.models import SearchDocument
from smartedu.search.text import ParsedQuery
from smartedu.search.windows import WindowState


@dataclass(frozen=True)
class Scope:
    """Which documents a search looks at: some kinds, with facet filters (``{"stage": "junior"}``)."""

    kinds: tuple[str, ...]
    facets: Mapping[str, str] = field(default_factory=dict)
    relaxed: bool = False  # any term instead of every term (the zero-result fallback)


@dataclass(frozen=True)
class Hit:
    document_id: int
    kind: str
    platform: str
    object_id: int
    tier: int
    # The document's row when the backend read it with the hit (saves the page a query), else None.
    document: SearchDocument | None = field(default=None, compare=False, repr=False)


class SearchBackend(Protocol):
    """What the engine needs from a backend. Every method takes already-parsed queries (only letters and
    digits reach a backend) and must answer any of them without error."""

    vendor: str
    keeps_windows: bool  # whether ``window_state`` answers (windows.py caches what ``candidates`` read)

    # --- writing ---------------------------------------------------------------------------------
    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Insert or replace documents by (kind, object id)."""

    def delete(self, kind: str, object_ids: Sequence[int]) -> int:
        """Forget these objects' documents; returns how many there were."""

    def delete_except(self, kind: str, visible: QuerySet) -> int:
        """Forget every document of ``kind`` whose object is not in ``visible`` (a queryset of the kind)."""

    def load(self, rows: Iterable[Sequence[object]]) -> int:
        """Append new documents given as tuples in ``LOAD_COLUMNS`` order (none may exist yet), the fast
        path of bulk loaders (``services.search_load``); returns how many were written."""

    def bulk_writes(self, *, progress: Progress = no_progress) -> AbstractContextManager[None]:
        """A context in which many ``load`` calls are cheaper (PostgreSQL drops the match table's GIN
        index and builds it once at the end); offline use only: searches run without the index."""

    def matches_rebuild(self, kind: str) -> None:
        """Bring the match structures of ``kind`` in step with its documents (a backend whose documents
        are their own match structure does nothing)."""

    def matches_differing(self, kind: str) -> dict[str, list[int]]:
        """Object ids of ``kind`` whose match row is ``missing``, ``extra`` or ``stale`` (empty lists when
        the backend has no separate match structure)."""

    # --- reading ---------------------------------------------------------------------------------
    def counts(self, query: ParsedQuery, scope: Scope) -> dict[str, int]:
        """Matching documents per kind."""

    def hits(self, query: ParsedQuery, scope: Scope, *, offset: int, limit: int) -> list[Hit]:
        """One page of matches, best first: relevance tier, then popularity."""

    def top_per_platform(self, query: ParsedQuery, scope: Scope, *, per_platform: int) -> list[Hit]:
        """The best ``per_platform`` matches of each sub-platform (the grouped page), best first."""

    def survey(
        self,
        query: ParsedQuery,
        scope: Scope,
        *,
        platforms: Sequence[str] = (),
        per_platform: int = 0,
        offset: int = 0,
        limit: int = 0,
    ) -> tuple[dict[str, int], list[Hit]]:
        """``counts(query, scope)`` together with ``top_per_platform`` (when ``per_platform``) or ``hits``
        (when ``limit``), in one pass over the matches: what a results page asks first."""

    def facet_counts(
        self, query: ParsedQuery, scope: Scope, keys: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        """``{facet key: {value: matches}}`` within the scope."""

    def title_hits(self, query: ParsedQuery, *, limit: int) -> list[Hit]:
        """Documents whose title matches (the last term as a prefix), most popular first: typeahead."""

    def frequency(self, query: ParsedQuery, facets: Mapping[str, str]) -> tuple[float, float]:
        """Estimates of the share (0–1) and the number of documents that match, from statistics, never
        from the index (0 when unknown): how a list decides that a term is too frequent for the index."""

    def generation(self, kind: str) -> str | None:
        """A value that changes in the same transaction as any change of the match structures of ``kind``
        and never comes back, or None when the backend keeps none (windows.py keeps ``candidates`` under
        it)."""

    def window_state(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], since: int | None
    ) -> WindowState | None:
        """The kind's generation, the change log's position, and whether a window kept at position
        ``since`` is stale (a document logged after it matched or matches the query under the facets, or
        the log no longer holds that position); None when the backend keeps no generations (windows.py
        decides from it whether a kept window still holds)."""

    def changes_prune(self, *, older_than: float) -> int:
        """Forget the change log's rows older than ``older_than`` seconds; returns how many."""

    def candidates(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int, walk: bool = False
    ) -> list[tuple[int, int, int]]:
        """``(object id, relevance tier, popularity)`` of up to ``limit`` visible documents of ``kind`` that
        match and have these facet values, in no particular order:
        one bounded read of the index (the facets are part of the match on PostgreSQL), what a list ranks
        or narrows itself with. ``walk``: the first ``limit`` by object id, testing rows in that order
        instead of reading the index (for a term ``frequency`` says is very common). Where the backend
        keeps generations, what a read returned is kept in the cache and returned again until the kind's
        generation moves or a change of a document that matches is logged (windows.py)."""

    def filter_queryset(
        self,
        queryset: QuerySet,
        kind: str,
        query: ParsedQuery,
        *,
        facets: Mapping[str, str] | None = None,
        ranked: bool = True,
        probe: bool = False,
    ) -> QuerySet:
        """``queryset`` (objects of ``kind``) narrowed to the matches (with these facet values) and, if
        ``ranked``, ordered by relevance tier: the sub-platforms' own lists. ``probe`` tests each row of
        the queryset against the index instead (for a frequent term walked in the list's own order)."""
