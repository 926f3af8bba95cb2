"""SQLite: an FTS5 table ``search_fts`` (``ascii`` tokenizer: our tokens are split on spaces only) over the
documents' two token columns, kept in step by triggers (migration 0002); its rowid is the document id, which
is also the id of the document's narrow match row (``search_match``, migration 0003) that counting and
ranking read. Terms become quoted FTS5 phrases."""

from __future__ import annotations

from django.db import connection

from smartedu.search.backends.database import DOCUMENTS, MATCH_COLUMNS, TABLE, DatabaseBackend, Sql
from smartedu.search.text import ParsedQuery, Term

FTS = "search_fts"


def fts_term(term: Term, *, prefix: bool = False) -> str:
    # Tokens are letters and digits only (text.py): inside double quotes nothing is FTS5 syntax.
    phrase = '"' + " ".join(term.tokens) + '"'
    return phrase + (" *" if term.single_character or (prefix and not term.cjk) else "")


def fts_query(query: ParsedQuery, *, relaxed: bool = False, title_only: bool = False) -> str:
    last = len(query.terms) - 1
    parts = [fts_term(term, prefix=query.prefix and index == last) for index, term in enumerate(query.terms)]
    expression = (" OR " if relaxed else " AND ").join(parts)
    return f"{{tokens_title}} : ({expression})" if title_only else expression


class SQLiteBackend(DatabaseBackend):
    vendor = "sqlite"
    is_distinct_from = "IS NOT"

    def _in_fts(self, expression: str) -> Sql:
        return f"d.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)", [expression]  # noqa: S608

    def match(self, query: ParsedQuery, *, relaxed: bool = False) -> Sql:
        return self._in_fts(fts_query(query, relaxed=relaxed))

    def title_match(self, query: ParsedQuery, *, any_term: bool = False) -> Sql:
        return self._in_fts(fts_query(query, title_only=True, relaxed=any_term))

    def term_match(self, term: Term) -> Sql:
        return self._in_fts(fts_term(term))

    def position(self, column: str) -> str:
        return f"instr({column}, %s)"

    def json_text(self, key: str) -> Sql:
        return "json_extract(d.facets, %s)", [f'$."{key}"']

    def matches_rebuild(self, kind: str) -> None:
        columns = ", ".join(MATCH_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE kind = %s AND id NOT IN (SELECT id FROM {DOCUMENTS})",  # noqa: S608
                [kind],
            )
            cursor.execute(
                f"INSERT OR REPLACE INTO {TABLE} (id, {columns}) "  # noqa: S608
                f"SELECT id, {columns} FROM {DOCUMENTS} WHERE kind = %s",
                [kind],
            )
