"""What the PostgreSQL and SQLite backends share: documents are rows, matches are SQL.

Relevance is a small integer *tier*, computed the same way by both backends so that both modes rank alike:

* 8 — the title (numbering such as "17.1" dropped) is exactly the query;
* 4 — the title contains the query as typed (spaces ignored);
* 2 — every word of the query is in the title;
* 1 — some word is in the title;
* 0 — the words are in the text only.

Every read goes to the narrow match table ``search_match`` (migration 0003: one row per document with only
what matching, counting and ranking read, kept in step with the documents by triggers), never to the wide
document rows; a page's documents are then read by id.

The tiers compare the normalised title (letters and digits only) as a string, so they cost no index lookup
and are the same in both modes.

The tiers add up (an exact title has 15). In the relaxed fallback (any term), sixteen times the number of
matched terms comes first. Within a tier, the more popular document (views) comes first, then the older id.

SQL is assembled here from fixed fragments and column names only; every value (tokens, phrases, kinds,
facet values) is a bound parameter, hence the ``noqa: S608``/``S611`` below.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from smartedu.portal.registry import Progress, no_progress
from smartedu.search import registry, windows
from smartedu.search.backends.base import Hit, Scope
from smartedu.search.models import SearchDocument
from smartedu.search.registry import get_kind
from smartedu.search.text import ParsedQuery, Term
from smartedu.search.windows import Window, WindowState

TABLE = "search_match"  # the narrow match table (migration 0003); documents are read by id only
DOCUMENTS = SearchDocument._meta.db_table
# The columns a match row copies from its document (the PostgreSQL row adds the tsvector).
MATCH_COLUMNS = ("object_id", "kind", "platform", "popularity", "title_key", "expires_at", "facets")
UPDATE_FIELDS = [
    "platform",
    "title",
    "title_key",
    "body",
    "url",
    "facets",
    "facet_labels",
    "tokens_title",
    "tokens_body",
    "popularity",
    "expires_at",
    "fingerprint",
    "indexed_at",
]
Sql = tuple[str, list]
# The columns of a document row as bulk loaders give them (``load``), in this order.
LOAD_COLUMNS = ("kind", "object_id", *UPDATE_FIELDS)
JSON_COLUMNS = ("facets", "facet_labels")


def window_of(rows: Sequence[tuple[int, int, int, int | None]]) -> Window:
    """Candidate rows (object id, tier, popularity, expiry) as the triples and their earliest expiry."""
    expiries = [row[3] for row in rows if row[3] is not None]
    return [(row[0], row[1], row[2]) for row in rows], min(expiries, default=None)


class DatabaseBackend:
    vendor = "database"
    # Whether ``window_state`` tells when a kept window is stale (windows.py); else nothing is cached.
    keeps_windows = False
    is_distinct_from = "IS DISTINCT FROM"

    # --- what each vendor supplies ---------------------------------------------------------------
    def match(self, query: ParsedQuery, *, relaxed: bool = False) -> Sql:
        """A condition on the row ``d``: the document matches every term (any term when ``relaxed``)."""
        raise NotImplementedError

    def title_match(self, query: ParsedQuery, *, any_term: bool = False) -> Sql:
        """A condition on ``d``: every term (or any) is in the title (the last as a prefix if
        ``query.prefix``)."""
        raise NotImplementedError

    def term_match(self, term: Term) -> Sql:
        raise NotImplementedError

    def position(self, column: str) -> str:
        """SQL for the 1-based position of the parameter in ``column`` (0 if absent)."""
        raise NotImplementedError

    def json_text(self, key: str) -> Sql:
        raise NotImplementedError

    def facets_match(self, facets: Mapping[str, str]) -> Sql:
        """A condition on ``d``: each facet has the value (its text in the match row's JSON)."""
        clauses, params = ["1 = 1"], []
        for key, value in sorted(facets.items()):
            json_sql, json_params = self.json_text(key)
            clauses.append(f"{json_sql} = %s")
            params += [*json_params, str(value)]
        return " AND ".join(clauses), params

    # --- writing ---------------------------------------------------------------------------------
    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        now = timezone.now()
        for document in documents:
            document.indexed_at = now
        SearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=UPDATE_FIELDS,
            batch_size=200,
        )

    def load(self, rows: Iterable[Sequence[object]]) -> int:
        """Plain ``INSERT``s; the triggers keep the match structures in step (PostgreSQL overrides this
        with ``COPY``)."""
        placeholders = ", ".join(["%s"] * len(LOAD_COLUMNS))
        sql = f"INSERT INTO {DOCUMENTS} ({', '.join(LOAD_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        adapt = connection.ops.adapt_datetimefield_value
        values: list[Any] = [[adapt(v) if isinstance(v, datetime) else v for v in row] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
        return len(values)

    @contextlib.contextmanager
    def bulk_writes(self, *, progress: Progress = no_progress) -> Iterator[None]:
        yield

    def delete(self, kind: str, object_ids: Sequence[int]) -> int:
        if not object_ids:
            return 0
        deleted, _ = SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()
        return deleted

    def delete_except(self, kind: str, visible: QuerySet) -> int:
        # NOT EXISTS, not NOT IN: a hash anti-join at any size (services.search_reconcile says why).
        stale = SearchDocument.objects.filter(kind=kind).filter(
            ~Exists(visible.order_by().filter(pk=OuterRef("object_id")))
        )
        deleted, _ = stale.delete()
        return deleted

    # --- the match table -------------------------------------------------------------------------
    def matches_rebuild(self, kind: str) -> None:
        """Rewrite the match rows of ``kind`` from its documents and drop those without a document (the
        triggers keep them in step; this repairs what a write with triggers disabled left behind)."""
        raise NotImplementedError

    def matches_differing(self, kind: str) -> dict[str, list[int]]:
        """Object ids of ``kind`` whose match row is ``missing``, ``extra`` (no document) or ``stale`` (it
        differs from its document): what ``search_check`` reports about the match table."""
        differs = " OR ".join(f"m.{column} {self.is_distinct_from} d.{column}" for column in MATCH_COLUMNS)
        vector_sql = self.vector_differs()
        if vector_sql:
            differs += f" OR {vector_sql}"
        queries = {
            "missing": f"SELECT d.object_id FROM {DOCUMENTS} d LEFT JOIN {TABLE} m ON m.id = d.id "  # noqa: S608
            "WHERE d.kind = %s AND m.id IS NULL",
            "extra": f"SELECT m.object_id FROM {TABLE} m LEFT JOIN {DOCUMENTS} d ON d.id = m.id "  # noqa: S608
            "WHERE m.kind = %s AND d.id IS NULL",
            "stale": f"SELECT d.object_id FROM {DOCUMENTS} d JOIN {TABLE} m ON m.id = d.id "  # noqa: S608
            f"WHERE d.kind = %s AND ({differs})",
        }
        return {
            label: sorted(row[0] for row in self._select(sql + " ORDER BY 1", [kind]))
            for label, sql in queries.items()
        }

    def vector_differs(self) -> str:
        """A condition on a match row ``m`` and its document ``d``: the match structure is out of date."""
        return ""

    # --- reading ---------------------------------------------------------------------------------
    def _where(self, query: ParsedQuery, scope: Scope) -> Sql:
        match_sql, params = self.match(query, relaxed=scope.relaxed)
        clauses = [match_sql]
        if set(scope.kinds) != {kind.key for kind in registry.kinds()}:
            placeholders = ", ".join(["%s"] * len(scope.kinds))
            clauses.append(f"d.kind IN ({placeholders})")
            params += list(scope.kinds)
        if scope.facets:
            facets_sql, facets_params = self.facets_match(scope.facets)
            clauses.append(facets_sql)
            params += facets_params
        hidden_sql, hidden_params = self._not_hidden(scope.kinds)
        clauses.append(hidden_sql)
        params += hidden_params
        return " AND ".join(clauses), params

    def _not_hidden(self, kind_keys: Sequence[str]) -> Sql:
        """Not expired, and not among the facet values a kind hides right now (``SearchKind.hidden``)."""
        clauses = ["(d.expires_at IS NULL OR d.expires_at > %s)"]
        params: list = [timezone.now()]
        for kind_key in kind_keys:
            kind = get_kind(kind_key)
            if kind is None or kind.hidden is None:
                continue
            for key, values in sorted(kind.hidden().items()):
                if not values:
                    continue
                json_sql, json_params = self.json_text(key)
                placeholders = ", ".join(["%s"] * len(values))
                clauses.append(f"NOT (d.kind = %s AND {json_sql} IN ({placeholders}))")
                params += [kind_key, *json_params, *sorted(values)]
        return " AND ".join(clauses), params

    def tier(self, query: ParsedQuery, *, relaxed: bool = False) -> Sql:
        """The relevance tier of row ``d``, from its normalised title only (cheap string tests)."""
        phrase = query.phrase
        contains = f"{self.position('d.title_key')} > 0"
        words = [term.text for term in query.terms]
        every = " AND ".join([contains] * len(words))
        some = " OR ".join([contains] * len(words))
        parts = [
            "CASE WHEN d.title_key = %s THEN 8 ELSE 0 END",
            f"CASE WHEN {contains} THEN 4 ELSE 0 END",
            f"CASE WHEN {every} THEN 2 ELSE 0 END",
            f"CASE WHEN {some} THEN 1 ELSE 0 END",
        ]
        params: list = [phrase, phrase, *words, *words]
        if relaxed:
            for term in query.terms:
                term_sql, term_params = self.term_match(term)
                parts.append(f"CASE WHEN {term_sql} THEN 16 ELSE 0 END")
                params += term_params
        return "(" + " + ".join(parts) + ")", params

    def _select(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def counts(self, query: ParsedQuery, scope: Scope) -> dict[str, int]:
        if query.is_empty or not scope.kinds:
            return {}
        where, params = self._where(query, scope)
        rows = self._select(f"SELECT d.kind, COUNT(*) FROM {TABLE} d WHERE {where} GROUP BY d.kind", params)  # noqa: S608
        return dict(rows)

    def hits(self, query: ParsedQuery, scope: Scope, *, offset: int, limit: int) -> list[Hit]:
        if query.is_empty or not scope.kinds:
            return []
        where, params = self._where(query, scope)
        tier, tier_params = self.tier(query, relaxed=scope.relaxed)
        rows = self._select(
            f"SELECT d.id, d.kind, d.platform, d.object_id, {tier} AS tier FROM {TABLE} d WHERE {where} "  # noqa: S608
            "ORDER BY tier DESC, d.popularity DESC, d.id ASC LIMIT %s OFFSET %s",
            [*tier_params, *params, limit, offset],
        )
        return [Hit(*row) for row in rows]

    def top_per_platform(self, query: ParsedQuery, scope: Scope, *, per_platform: int) -> list[Hit]:
        if query.is_empty or not scope.kinds:
            return []
        where, params = self._where(query, scope)
        tier, tier_params = self.tier(query, relaxed=scope.relaxed)
        rows = self._select(
            "SELECT id, kind, platform, object_id, tier FROM ("  # noqa: S608
            "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.platform ORDER BY m.tier DESC, m.popularity DESC, "
            "m.id ASC) AS rn FROM ("
            f"SELECT d.id, d.kind, d.platform, d.object_id, d.popularity, {tier} AS tier "
            f"FROM {TABLE} d WHERE {where}) m) ranked WHERE rn <= %s "
            "ORDER BY tier DESC, popularity DESC, id ASC",
            [*tier_params, *params, per_platform],
        )
        return [Hit(*row) for row in rows]

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
        """``counts`` and, from the same single scan of the matches, either the best ``per_platform`` hits of
        each of ``platforms`` (the grouped page) or the page ``offset``/``limit`` (the flat list).

        The matches are read once into a materialised CTE; the counts group it, and each platform's best
        hits are a top-N over it (no sort of every match, no window over them)."""
        if query.is_empty or not scope.kinds:
            return {}, []
        where, params = self._where(query, scope)
        tier, tier_params = self.tier(query, relaxed=scope.relaxed)
        ranked = "ORDER BY m.tier DESC, m.popularity DESC, m.id ASC LIMIT %s"
        parts = ["SELECT 0 AS part, m.kind, '' AS platform, COUNT(*) AS n, 0 AS object_id, 0 AS tier, "
                 "0 AS popularity FROM m GROUP BY m.kind"]  # fmt: skip
        part_params: list = []
        hit_columns = "SELECT 1, m.kind, m.platform, m.id, m.object_id, m.tier, m.popularity FROM m"
        if per_platform:
            for platform in platforms:
                parts.append(f"SELECT * FROM ({hit_columns} WHERE m.platform = %s {ranked}) p")  # noqa: S608
                part_params += [platform, per_platform]
        elif limit:
            parts.append(f"SELECT * FROM ({hit_columns} {ranked} OFFSET %s) p")  # noqa: S608
            part_params += [limit, offset]
        # The hits' documents (title, text, address, labels) come with them, read by id from the wide
        # table for these few rows only: the page needs no second query for them.
        rows = self._select(
            f"WITH m AS MATERIALIZED (SELECT d.id, d.kind, d.platform, d.object_id, d.popularity, "  # noqa: S608
            f"{tier} AS tier FROM {TABLE} d WHERE {where}) "
            "SELECT u.part, u.kind, u.platform, u.n, u.object_id, u.tier, u.popularity, "
            "doc.title, doc.body, doc.url, doc.facet_labels "
            f"FROM ({' UNION ALL '.join(parts)}) u LEFT JOIN {DOCUMENTS} doc ON u.part = 1 AND doc.id = u.n",
            [*tier_params, *params, *part_params],
        )
        counts = {row[1]: row[3] for row in rows if row[0] == 0}
        found = sorted((row for row in rows if row[0] == 1), key=lambda row: (-row[5], -row[6], row[3]))
        hits = []
        for _, kind, platform, pk, object_id, tier, popularity, title, body, url, labels in found:
            document = None
            if title is not None:
                document = SearchDocument(
                    id=pk,
                    kind=kind,
                    platform=platform,
                    object_id=object_id,
                    title=title,
                    body=body,
                    url=url,
                    facet_labels=json.loads(labels) if isinstance(labels, str) else labels,
                    popularity=popularity,
                )
            hits.append(Hit(pk, kind, platform, object_id, tier, document))
        return counts, hits

    def facet_counts(
        self, query: ParsedQuery, scope: Scope, keys: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        if query.is_empty or not scope.kinds:
            return {key: {} for key in keys}
        where, params = self._where(query, scope)
        for key in keys:
            json_sql, json_params = self.json_text(key)
            rows = self._select(
                f"SELECT {json_sql} AS value, COUNT(*) FROM {TABLE} d WHERE {where} GROUP BY value",  # noqa: S608
                [*json_params, *params],
            )
            result[key] = {str(value): count for value, count in rows if value is not None}
        return result

    def title_hits(self, query: ParsedQuery, *, limit: int) -> list[Hit]:
        if query.is_empty:
            return []
        title_sql, params = self.title_match(query)
        tier, tier_params = self.tier(query)
        shown_sql, shown_params = self._not_hidden([kind.key for kind in registry.kinds()])
        rows = self._select(
            f"SELECT d.id, d.kind, d.platform, d.object_id, {tier} AS tier FROM {TABLE} d "  # noqa: S608
            f"WHERE {title_sql} AND {shown_sql} "
            "ORDER BY tier DESC, d.popularity DESC, d.id ASC LIMIT %s",
            [*tier_params, *params, *shown_params, limit],
        )
        return [Hit(*row) for row in rows]

    def frequency(self, query: ParsedQuery, facets: Mapping[str, str]) -> tuple[float, float]:
        """Estimates of the share and the number of documents that match (0 when the backend cannot tell)."""
        return 0.0, 0.0

    def generation(self, kind: str) -> str | None:
        """A value that changes in the same transaction as any change of the match rows of ``kind`` and
        never comes back (windows.py keeps what a search read under it), or None: the backend keeps none,
        and nothing is cached."""
        return None

    def window_state(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], since: int | None
    ) -> WindowState | None:
        """What tells whether a window kept at log position ``since`` still holds (windows.py), or None: the
        backend keeps no generations, and nothing is cached."""
        return None

    def changes_prune(self, *, older_than: float) -> int:
        """Forget the change log's rows older than ``older_than`` seconds (none kept here)."""
        return 0

    def expiry(self, column: str) -> str:
        """SQL for ``column`` (a timestamp, or NULL) as whole Unix seconds; NULL where the backend keeps no
        generations (nothing is cached, so nothing needs the expiry)."""
        return "NULL"

    def candidates(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int, walk: bool = False
    ) -> list[tuple[int, int, int]]:
        """Read from the index (``window``), or what the same read returned while no change that could
        alter it happened since (windows.py)."""
        if query.is_empty:
            return []
        return windows.candidates(
            self,
            kind,
            query,
            facets=facets,
            limit=limit,
            walk=walk,
            read=lambda: self.window(kind, query, facets=facets, limit=limit, walk=walk),
        )

    def window(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int, walk: bool = False
    ) -> Window:
        """``candidates`` read from the index, with the earliest expiry among their documents."""
        if walk:
            return window_of(self._walked_candidates(kind, query, facets=facets, limit=limit))
        return window_of(self._read_candidates(kind, query, self.match(query), facets=facets, limit=limit))

    def _read_candidates(
        self, kind: str, query: ParsedQuery, match: Sql, *, facets: Mapping[str, str], limit: int
    ) -> list[tuple[int, int, int, int | None]]:
        """``candidates`` read from the index, for the condition ``match`` on the row ``d``, each with its
        document's expiry (``expiry``)."""
        match_sql, match_params = match
        facets_sql, facets_params = self.facets_match(facets)
        hidden_sql, hidden_params = self._not_hidden([kind])
        tier, tier_params = self.tier(query)
        return self._select(
            f"SELECT d.object_id, {tier}, d.popularity, {self.expiry('d.expires_at')} FROM {TABLE} d "  # noqa: S608
            f"WHERE d.kind = %s AND {match_sql} AND {facets_sql} AND {hidden_sql} LIMIT %s",
            [*tier_params, kind, *match_params, *facets_params, *hidden_params, limit],
        )

    def _walked_candidates(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int
    ) -> list[tuple[int, int, int, int | None]]:
        return self._read_candidates(kind, query, self.match(query), facets=facets, limit=limit)

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
        if query.is_empty:
            return queryset
        match_sql, match_params = self.match(query)
        facets_sql, facets_params = self.facets_match(facets or {})
        matching = RawSQL(  # noqa: S611
            f"SELECT d.object_id FROM {TABLE} d WHERE d.kind = %s AND {match_sql} AND {facets_sql}",  # noqa: S608
            [kind, *match_params, *facets_params],
        )
        meta = queryset.model._meta
        quote = connection.ops.quote_name
        if probe:
            # A correlated test per row, never turned into a join: the list walks its own index (newest
            # first) and asks the index about each row, which stops early when the term is frequent.
            hit = RawSQL(  # noqa: S611
                f"(SELECT 1 FROM {TABLE} d WHERE d.kind = %s "  # noqa: S608
                f"AND d.object_id = {quote(meta.db_table)}.{quote(meta.pk.column)} AND {match_sql} "
                f"AND {facets_sql} LIMIT 1)",
                [kind, *match_params, *facets_params],
                output_field=IntegerField(),
            )
            return queryset.alias(search_hit=hit).filter(search_hit=1)
        if not ranked:
            return queryset.filter(pk__in=matching)
        tier, tier_params = self.tier(query)
        tier_of_row = RawSQL(  # noqa: S611
            f"(SELECT {tier} FROM {TABLE} d WHERE d.kind = %s "  # noqa: S608
            f"AND d.object_id = {quote(meta.db_table)}.{quote(meta.pk.column)})",
            [*tier_params, kind],
            output_field=IntegerField(),
        )
        ordering: list = ["-search_tier"]
        registered = get_kind(kind)
        if registered is not None and registered.popularity_field:
            ordering.append(F(registered.popularity_field).desc())
        ordering.append("pk")
        return queryset.filter(pk__in=matching).annotate(search_tier=tier_of_row).order_by(*ordering)
