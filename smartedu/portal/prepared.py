"""Server-side prepared statements for PostgreSQL under psycopg2 (issue 14, the planning goal).

PostgreSQL plans every statement it receives as text. For the short look-ups that make up a page (a session,
a user, a lesson by id, a taxonomy row) planning costs several times what executing does: 0.1 ms against
0.02 ms. A prepared statement is parsed once per connection and, after five executions, PostgreSQL keeps a
generic plan for it, so an ``EXECUTE`` spends about 0.001 ms planning. psycopg 3 does this by itself;
psycopg2, this project's driver, never does. This module does it for psycopg2, below Django's ORM:

* ``PreparingConnection`` (the ``connection_factory``) counts, per connection, how often each statement's
  text was run;
* ``PreparingCursor`` (the ``cursor_factory``) sends a ``SELECT`` that has been seen ``threshold`` times as
  ``PREPARE`` once, then as ``EXECUTE name(params)``. The parameters are still adapted by psycopg2, so values
  reach PostgreSQL exactly as before.

What keeps it safe:

* Only ``SELECT`` statements with positional parameters (``%s``) are prepared, never a named cursor
  (``.iterator()``), ``executemany`` or a statement that contains ``$`` or the marker ``UNPREPARED``
  (put ``/* UNPREPARED */`` in raw SQL whose best plan depends on its values, such as a search term's
  frequency: a generic plan would be one plan for every term).
* A statement PostgreSQL cannot prepare (``could not determine data type of parameter $1``) is remembered
  and sent as text from then on. Inside a transaction the first ``PREPARE`` runs under a savepoint, so its
  failure never aborts the caller's transaction.
* ``DDL`` run through a connection (a migration) forgets and ``DEALLOCATE``\\s its statements, so a changed
  table never meets an old plan in that process. Other processes re-plan by themselves when a table changes;
  a statement whose result columns changed type must be run by a new process (deploys restart workers).
* At most ``MAX_STATEMENTS`` per connection are prepared, and the counts are forgotten when they grow past
  ``MAX_SEEN`` (texts that differ by an ``IN`` list's length), so memory stays bounded on both sides.
* Django's query log (``connection.queries``, ``assertNumQueries``) still sees the statement's own SQL:
  ``cursor.query`` gives the statement as it would have been sent.

A connection pooler in transaction mode (PgBouncer ``pool_mode=transaction``) hands a session's prepared
statements to other clients: set ``DATABASE_PREPARE_THRESHOLD=0`` there (``smartedu/settings.py``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import psycopg2
import psycopg2.extensions
from django.db.models import Value

logger = logging.getLogger(__name__)

MAX_STATEMENTS = 1000
MAX_SEEN = 20_000
MARKER = "UNPREPARED"
UNPREPARED = f"/* {MARKER} */"  # put it in raw SQL that must never be prepared
_PLACEHOLDER = re.compile(r"%[s%]")
_DDL = re.compile(r"\s*(?:ALTER|CREATE|DROP|TRUNCATE|COMMENT|REINDEX)\b", re.IGNORECASE)


def _is_select(sql: str) -> bool:
    head = sql.lstrip()[:6]
    return head.upper() == "SELECT"


def server_form(sql: str) -> tuple[str, int]:
    """Django's psycopg2 text (``%s`` parameters, ``%%`` for a percent sign) as PostgreSQL's (``$1``…)."""
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(swap, sql), count


_CONSTANT = re.compile(r"[A-Za-z0-9_]+")


class Constant(Value):
    """A rule's constant written into the statement's text instead of sent as a parameter.

    PostgreSQL uses a partial index only where it can prove the index's condition from the query, and a
    prepared statement's generic plan knows no parameter's value: ``status = $1`` never matches an index
    built ``WHERE status = 'open'``, so the generic plan walks the table and PostgreSQL keeps planning the
    statement anew at every execution (a custom plan). Written as ``status = 'open'``, the generic plan
    takes the index and planning stops. Only plain words and integers, never anything a user typed."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(f"a Constant is a word or an integer, not {value!r}")
        if isinstance(value, int):
            return str(int(value)), []
        if not _CONSTANT.fullmatch(value):
            raise ValueError(f"a Constant is a plain word: {value!r}")
        return f"'{value}'", []


class PreparingConnection(psycopg2.extensions.connection):
    """A psycopg2 connection that remembers its prepared statements (``PreparingCursor`` uses them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        # How many times a statement's text is run before it is prepared; 0 turns preparing off.
        self.threshold: int = getattr(settings, "DATABASE_PREPARE_THRESHOLD", 5)
        self.prepared: dict[str, str | None] = {}  # text → statement name, or None: cannot be prepared
        self.seen: dict[str, int] = {}

    def forget_prepared(self) -> None:
        self.prepared.clear()
        self.seen.clear()


class PreparingCursor(psycopg2.extensions.cursor):
    """Runs a ``SELECT`` seen often enough on its connection as a prepared statement."""

    _shown: tuple[str, Any] | None = None

    @property
    def query(self) -> bytes | None:
        """The statement as text, as it would have been sent without preparing (Django logs this)."""
        if self._shown is not None:
            sql, params = self._shown
            return self.mogrify(sql, params)
        return super().query

    def execute(self, query: Any, vars: Any = None) -> None:
        self._shown = None
        connection = self.connection
        if not isinstance(query, str) or self.name is not None:
            return super().execute(query, vars)
        if not isinstance(connection, PreparingConnection):
            return super().execute(query, vars)
        if not connection.threshold or not _is_select(query) or not isinstance(vars, list | tuple):
            if _DDL.match(query) and connection.prepared:
                self._deallocate_all(connection)
            return super().execute(query, vars)
        name = connection.prepared.get(query, "")
        if name == "":
            name = self._maybe_prepare(connection, query)
        if not name:
            return super().execute(query, vars)
        self._shown = (query, vars)
        if vars:
            return super().execute(f"EXECUTE {name}({', '.join(['%s'] * len(vars))})", vars)
        return super().execute(f"EXECUTE {name}")

    def _maybe_prepare(self, connection: PreparingConnection, query: str) -> str | None:
        seen = connection.seen.get(query, 0) + 1
        if seen < connection.threshold:
            if len(connection.seen) >= MAX_SEEN:
                connection.seen.clear()
            connection.seen[query] = seen
            return None
        status = connection.get_transaction_status()
        if status == psycopg2.extensions.TRANSACTION_STATUS_INERROR:
            return None  # the statement fails as text, as it always did; try again another time
        connection.seen.pop(query, None)
        if MARKER in query or "$" in query or len(connection.prepared) >= MAX_STATEMENTS:
            connection.prepared[query] = None
            return None
        text, _count = server_form(query)
        name = f"smartedu_{len(connection.prepared) + 1}"
        statement = f"PREPARE {name} AS {text}"
        # Outside autocommit psycopg2 opens a transaction before the first statement, even this one.
        in_transaction = not connection.autocommit or status != psycopg2.extensions.TRANSACTION_STATUS_IDLE
        try:
            if in_transaction:
                # One round trip; a failure rolls back to the savepoint and leaves the transaction usable.
                super().execute(
                    f"SAVEPOINT smartedu_prepare; {statement}; RELEASE SAVEPOINT smartedu_prepare"
                )
            else:
                super().execute(statement)
        except psycopg2.Error as exc:
            if in_transaction:
                super().execute("ROLLBACK TO SAVEPOINT smartedu_prepare; RELEASE SAVEPOINT smartedu_prepare")
            logger.debug("prepared statements: %s is sent as text (%s)", name, exc.pgcode)
            connection.prepared[query] = None
            return None
        connection.prepared[query] = name
        return name

    def _deallocate_all(self, connection: PreparingConnection) -> None:
        connection.forget_prepared()
        super().execute("DEALLOCATE ALL")
