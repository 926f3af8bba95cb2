"""PostgreSQL: a ``tsvector`` (configuration 'simple', title tokens weight A, text tokens weight B) with a
GIN index, in the narrow match table ``search_match`` (migration 0003; a trigger on the documents computes
it). Terms become ``tsquery`` phrases of quoted lexemes."""

from __future__ import annotations

import contextlib
import csv
import io
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from django.db import connection, transaction

from smartedu.portal.prepared import UNPREPARED
from smartedu.portal.registry import Progress, no_progress
from smartedu.search.backends.database import (
    DOCUMENTS,
    LOAD_COLUMNS,
    MATCH_COLUMNS,
    TABLE,
    DatabaseBackend,
    Sql,
    window_of,
)
from smartedu.search.text import ParsedQuery, Term
from smartedu.search.windows import Window, WindowState


def _lexeme(token: str, *, weight: str = "", prefix: bool = False) -> str:
    # Tokens are letters and digits only (text.py), so quoting cannot be escaped from.
    suffix = ":" + ("*" if prefix else "") + weight if (weight or prefix) else ""
    return f"'{token}'{suffix}"


def whole_token(term: Term) -> bool:
    """A Chinese term that is also one token of the texts that hold it as a whole: a single character
    (titles keep every character) or a word of several characters (jieba's words are tokens too, text.py).
    Documents with that token match the term."""
    return term.cjk and (term.single_character or len(term.tokens) > 1)


def tsquery_term(term: Term, *, weight: str = "", prefix: bool = False, whole: bool = False) -> str:
    if whole and whole_token(term):
        return "(" + _lexeme(term.text, weight=weight) + ")"
    if term.single_character:
        # Any token starting with it: the bigrams of every run where it is not last, and words.
        return "(" + _lexeme(term.text, weight=weight, prefix=True) + ")"
    last = len(term.tokens) - 1
    lexemes = [
        _lexeme(token, weight=weight, prefix=prefix and index == last and not term.cjk)
        for index, token in enumerate(term.tokens)
    ]
    return "(" + " <-> ".join(lexemes) + ")"


def tsquery(query: ParsedQuery, *, weight: str = "", relaxed: bool = False, whole: bool = False) -> str:
    """The query as a ``tsquery``; ``whole``: the terms that are one token (``whole_token``) as that token,
    not a prefix or a phrase of bigrams (documents that match so match the query)."""
    last = len(query.terms) - 1
    parts = [
        tsquery_term(term, weight=weight, prefix=query.prefix and index == last, whole=whole)
        for index, term in enumerate(query.terms)
    ]
    return (" | " if relaxed else " & ").join(parts)


# A document's match vector from its columns (migration 0004): tokens, then facet values as lexemes.
VECTOR = "search_match_vector(tokens_title, tokens_body, facets)"


_STATISTICS_SECONDS = 300
_statistics: dict[str, tuple[float, dict[str, float]]] = {}


def _lexeme_frequencies() -> dict[str, float]:
    """``{lexeme: share of match rows}`` for the commonest lexemes of ``search_match.vector``, and under
    ``""`` the number of match rows (``pg_class.reltuples``)."""
    alias = connection.alias
    now = time.monotonic()
    cached = _statistics.get(alias)
    if cached is not None and now - cached[0] < _STATISTICS_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.lexeme, u.share FROM pg_stats s, "
            "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(lexeme, share) "
            "WHERE s.tablename = %s AND s.attname = 'vector' AND u.lexeme IS NOT NULL",
            [TABLE],
        )
        frequencies = {lexeme: float(share) for lexeme, share in cursor.fetchall()}
        cursor.execute("SELECT greatest(reltuples, 0) FROM pg_class WHERE relname = %s", [TABLE])
        row = cursor.fetchone()
    if frequencies:
        frequencies[""] = float(row[0]) if row else 0.0
    _statistics[alias] = (now, frequencies)
    return frequencies


def facet_lexeme(key: str, value: str) -> str:
    """The quoted lexeme of a facet value, as ``search_match_facets`` writes it (the value in hex, so no
    character of it can end the quoting)."""
    if not key.replace("_", "").isalnum():
        raise ValueError(f"bad facet key {key!r}")
    return f"'f{key}:{str(value).encode().hex()}'"


def _generation_value(everything: int | None, own: int | None) -> str:
    """The whole match table's and a kind's generations as one value (0 for a row not written yet)."""
    return f"{everything or 0}.{own or 0}"


# A search statement's best plan depends on its term (a rare term reads the GIN, a frequent one walks an
# ordered index): never a prepared statement's one generic plan for every term (smartedu/portal/prepared.py).
MATCH = f"d.vector @@ %s::tsquery {UNPREPARED}"


class PostgresBackend(DatabaseBackend):
    vendor = "postgresql"
    keeps_windows = True

    def match(self, query: ParsedQuery, *, relaxed: bool = False) -> Sql:
        return MATCH, [tsquery(query, relaxed=relaxed)]

    def title_match(self, query: ParsedQuery, *, any_term: bool = False) -> Sql:
        return MATCH, [tsquery(query, weight="A", relaxed=any_term)]

    def term_match(self, term: Term) -> Sql:
        return MATCH, [tsquery_term(term)]

    def position(self, column: str) -> str:
        return f"strpos({column}, %s)"

    def facets_match(self, facets: Mapping[str, str]) -> Sql:
        """Facet values are lexemes of the vector (migration 0004): one GIN lookup, not a read per match."""
        if not facets:
            return "1 = 1", []
        return MATCH, [" & ".join(facet_lexeme(k, v) for k, v in sorted(facets.items()))]

    def frequency(self, query: ParsedQuery, facets: Mapping[str, str]) -> tuple[float, float]:
        """From the match column's statistics (``pg_stats.most_common_elems``, what ``ANALYZE`` keeps of the
        commonest lexemes), read once every few minutes per process: a phrase is as frequent as its rarest
        token; a one-character term (a prefix, ``tsquery_term``) as the listed lexemes that start with it
        together (their sum, at most 1: the union of their documents is at most that, and reading it from
        the GIN costs that many entries); terms and facets multiply (independence, as the planner
        assumes); a lexeme or prefix not listed is rarer than the rarest listed."""
        statistics = _lexeme_frequencies()
        if not statistics or query.is_empty:
            return 0.0, 0.0
        rows = statistics[""]
        frequencies = {lexeme: share for lexeme, share in statistics.items() if lexeme}
        floor = min(frequencies.values(), default=0.0)
        estimate = 1.0
        for term in query.terms:
            if not term.tokens:
                return 0.0, 0.0
            if term.single_character:
                listed = sum(share for lexeme, share in frequencies.items() if lexeme.startswith(term.text))
                estimate *= min(1.0, listed) if listed else floor
            else:
                estimate *= min(frequencies.get(token, floor) for token in term.tokens)
        for key, value in facets.items():
            estimate *= frequencies.get(facet_lexeme(key, value).strip("'"), floor)
        return estimate, estimate * rows

    def generation(self, kind: str) -> str | None:
        """The kind's generation and that of the whole match table (migration 0005), as one value."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, generation FROM search_generation WHERE kind IN ('', %s)", [kind])
            generations = dict(cursor.fetchall())
        return _generation_value(generations.get(""), generations.get(kind))

    def window_state(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], since: int | None
    ) -> WindowState:
        """In one statement: the generations (``generation``), the change log's position, and whether a
        window kept at position ``since`` is stale (migration 0006): a document logged after it matched,
        or now matches, the query under the facets (the log row holds the document's vector before and
        after the change, tested as the index is searched), or the log no longer holds that position (it
        was pruned, or written by a transaction that was rolled back)."""
        match_sql, match_params = self.match(query)
        facets_sql, facets_params = self.facets_match(facets)
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH f AS (SELECT max(seq) AS floor FROM search_change_floor) "  # noqa: S608
                "SELECT (SELECT generation FROM search_generation WHERE kind = ''), "
                "(SELECT generation FROM search_generation WHERE kind = %s), "
                "greatest((SELECT max(seq) FROM search_change), f.floor), "
                "%s::bigint < f.floor "
                "OR (%s::bigint <> f.floor AND NOT EXISTS (SELECT 1 FROM search_change WHERE seq = %s)) "
                "OR EXISTS (SELECT 1 FROM search_change d "
                f"WHERE d.seq > %s AND d.kind = %s AND {match_sql} AND {facets_sql}) "
                "FROM f",
                [kind, since, since, since, since, kind, *match_params, *facets_params],
            )
            everything, own, position, stale = cursor.fetchone()
        return WindowState(
            generation=_generation_value(everything, own), position=position, stale=stale is not False
        )

    def changes_prune(self, *, older_than: float) -> int:
        """Forget the log's rows older than ``older_than`` seconds, and raise its floor to the last of them
        in the same transaction (a window kept at an older position is then read again)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(seq) FROM search_change "
                "WHERE changed_at < clock_timestamp() - make_interval(secs => %s)",
                [older_than],
            )
            (last,) = cursor.fetchone()
            if last is None:
                return 0
            cursor.execute("UPDATE search_change_floor SET seq = greatest(seq, %s)", [last])
            cursor.execute("DELETE FROM search_change WHERE seq <= %s", [last])
            return cursor.rowcount

    def expiry(self, column: str) -> str:
        return f"floor(extract(epoch FROM {column}))::bigint"

    def window(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int, walk: bool = False
    ) -> Window:
        """Under facets, a query with a term that is one token where texts hold it whole (``whole_token``)
        reads first the documents with that token: one posting list and no phrase to check row by row,
        where a one-character prefix is every lexeme the character starts (hundreds of thousands of
        entries for 教) and a word of several characters a phrase of bigrams (工程 <-> 程师), which the
        facets' lists are then intersected with entry by entry. If they fill ``limit``, they are the
        candidates: real matches, and strong ones (the character is in the title; jieba read the word).
        Else every match is read, as for other queries. (Without facets a prefix's bitmap is cheap, as
        it goes lossy and the read stops at ``limit``.)"""
        if facets and not walk and any(whole_token(term) for term in query.terms):
            whole = self._read_candidates(
                kind, query, (MATCH, [tsquery(query, whole=True)]), facets=facets, limit=limit
            )
            if len(whole) >= limit:
                return window_of(whole)
        return super().window(kind, query, facets=facets, limit=limit, walk=walk)

    def _walked_candidates(
        self, kind: str, query: ParsedQuery, *, facets: Mapping[str, str], limit: int
    ) -> list[tuple[int, int, int, int | None]]:
        """The first ``limit`` matches in object id order, read by walking the (kind, object id) index and
        testing each row, without the GIN: for a term so frequent (a share of the rows the statistics
        vouch for) that its bitmap would cost more than the walk."""
        match_sql, match_params = self.match(query)
        facets_sql, facets_params = self.facets_match(facets)
        hidden_sql, hidden_params = self._not_hidden([kind])
        tier, tier_params = self.tier(query)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT d.object_id, {tier}, d.popularity, {self.expiry('d.expires_at')} FROM {TABLE} d "  # noqa: S608
                f"WHERE d.kind = %s AND {match_sql} AND {facets_sql} AND {hidden_sql} "
                "ORDER BY d.kind, d.object_id LIMIT %s",
                [*tier_params, kind, *match_params, *facets_params, *hidden_params, limit],
            )
            return cursor.fetchall()

    def json_text(self, key: str) -> Sql:
        return "(d.facets ->> %s)", [key]

    def load(self, rows: Iterable[Sequence[object]]) -> int:
        """``COPY`` the rows with the row trigger off, then fill their match rows in one statement: a
        bulk load pays the tsvector once per row and no per-row trigger call. ``ALTER TABLE`` takes the
        documents' exclusive lock until the caller's transaction ends (offline use: seeding, a
        maintenance window)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        count = 0
        for row in rows:
            writer.writerow(
                "\\N" if v is None else v.isoformat() if isinstance(v, datetime) else v for v in row
            )
            count += 1
        if not count:
            return 0
        buffer.seek(0)
        columns = ", ".join(MATCH_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {DOCUMENTS}")  # noqa: S608
            last = cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {DOCUMENTS} DISABLE TRIGGER search_match_sync")
            try:
                cursor.copy_expert(
                    f"COPY {DOCUMENTS} ({', '.join(LOAD_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
            finally:
                cursor.execute(f"ALTER TABLE {DOCUMENTS} ENABLE TRIGGER search_match_sync")
            cursor.execute(
                f"INSERT INTO {TABLE} (id, {columns}, vector) "  # noqa: S608
                f"SELECT id, {columns}, {VECTOR} FROM {DOCUMENTS} "
                "WHERE id > %s",
                [last],
            )
        return count

    @contextlib.contextmanager
    def bulk_writes(self, *, progress: Progress = no_progress) -> Iterator[None]:
        """Without the GIN index while loading, built once at the end (minutes instead of an hour at
        millions of rows); outside a transaction, like the seeders' own index rebuilds."""
        if connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_match_vector_gin")
        try:
            yield
        finally:
            for _ in progress([TABLE], desc="search index (GIN)"):
                with connection.cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '256MB'")
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS search_match_vector_gin ON {TABLE} USING GIN (vector) "
                        "WITH (fastupdate = off)"
                    )
                    cursor.execute("RESET maintenance_work_mem")
                    cursor.execute(f"ANALYZE {TABLE}")

    def vector_differs(self) -> str:
        return "m.vector <> search_match_vector(d.tokens_title, d.tokens_body, d.facets)"

    def matches_rebuild(self, kind: str) -> None:
        columns = ", ".join(MATCH_COLUMNS)
        changed = " OR ".join(
            f"{TABLE}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in (*MATCH_COLUMNS, "vector")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} m WHERE m.kind = %s AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {DOCUMENTS} d WHERE d.id = m.id)",
                [kind],
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (id, {columns}, vector) "  # noqa: S608
                f"SELECT id, {columns}, {VECTOR} FROM {DOCUMENTS} "
                "WHERE kind = %s ON CONFLICT (id) DO UPDATE SET "
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in (*MATCH_COLUMNS, "vector"))
                + f" WHERE {changed}",
                [kind],
            )
