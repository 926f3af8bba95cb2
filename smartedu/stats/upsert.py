"""Batched ``INSERT … ON CONFLICT … DO UPDATE`` for the rollups (PostgreSQL and SQLite ≥ 3.24 alike).

Django's ``bulk_create(update_conflicts=True)`` can only *replace* a column with the inserted value; the
rollups need to *add* (views) or keep the larger value (unique visitors, which are re-read in full from the
HyperLogLog every flush). Adding is replay-safe only because each batch's upsert runs in the transaction
that records the batch id (see ``services.batch_apply``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django.db import connection, models

Merge = Literal["add", "max"]
CHUNK_ROWS = 500


def upsert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, object]],
    *,
    conflict: Sequence[str],
    merge: Mapping[str, Merge],
) -> int:
    """Insert ``rows``; on a conflict with an existing row, merge the ``merge`` columns into it.

    Rows are written in the order of their conflict keys, so that two concurrent flushes lock rows in the
    same order (no deadlock). Returns the number of rows sent; one statement per ``CHUNK_ROWS`` rows.
    """
    if not rows:
        return 0
    opts = model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> models.Field[Any, Any]:
        found = opts.get_field(name)
        if not isinstance(found, models.Field):
            raise ValueError(f"{model.__name__}.{name} is not a concrete column")
        return found

    columns = list(rows[0].keys())
    fields = [column(name) for name in columns]
    table = quote(opts.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    updates = []
    for name, how in merge.items():
        col = quote(column(name).column)
        if how == "add":
            updates.append(f"{col} = {table}.{col} + excluded.{col}")
        else:
            updates.append(f"{col} = {greatest}({table}.{col}, excluded.{col})")
    # Table and column names come from the model and are quoted; every value is a parameter.
    head = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    tail = (
        f" ON CONFLICT ({', '.join(quote(column(c).column) for c in conflict)}) "
        f"DO UPDATE SET {', '.join(updates)}"
    )
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ordered = sorted(rows, key=lambda r: tuple(str(r[c]) for c in conflict))
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK_ROWS):
            chunk = ordered[start : start + CHUNK_ROWS]
            params: list[Any] = []
            for row in chunk:
                params.extend(f.get_db_prep_save(row[f.name], connection) for f in fields)
            cursor.execute(head + ", ".join([placeholder] * len(chunk)) + tail, params)
    return len(ordered)
