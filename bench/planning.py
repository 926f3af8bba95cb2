"""Planning against execution, page by page (issue 14: "no page spends more time planning than executing").

Each G1 page is requested through Django's test client in production mode (PostgreSQL, Redis), once for an
anonymous visitor past the page cache and once for the demo student, after warm-up requests. Every statement
the last request ran is then timed by PostgreSQL itself with ``EXPLAIN (ANALYZE, SUMMARY)``, twice:

* **as text**, as psycopg2 sends it without help: PostgreSQL parses and plans it every time;
* **prepared**, as ``smartedu/portal/prepared.py`` sends it once a statement has been seen
  ``DATABASE_PREPARE_THRESHOLD`` times on a connection: ``EXECUTE`` of a statement already run six times
  (so PostgreSQL has settled on its plan), which is what every later request runs.

The page's planning and execution are the sums over its statements (median of ``BENCH_PLANNING_RUNS``, 5).
Writes ``bench/results/planning-<date>.md``. Services: ``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL``, as
``http_load.py`` leaves them (the small demo data); ``BENCH_REUSE=1`` is implied: run it after
``http_load.py`` or after ``manage.py seed_demo`` against the same database.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.update(
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smartedu_bench"),
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    DJANGO_SETTINGS_MODULE="smartedu.settings",
    DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
    DJANGO_SECURE_HTTPS="0",
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_LOG_LEVEL="WARNING",
    SMARTEDU_VAR_DIR=str(ROOT / "var" / "bench-http"),
)

import django  # noqa: E402
import psycopg2.extensions  # noqa: E402

django.setup()

import pages as page_bench  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

RUNS = int(os.environ.get("BENCH_PLANNING_RUNS", "5"))
RESULTS = ROOT / "bench" / "results"


def statements_of(client: Any, path: str) -> list[tuple[str, tuple]]:
    """The (sql, params) of each SELECT the request runs, as Django hands them to the driver."""
    seen: list[tuple[str, tuple]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many and sql.lstrip()[:6].upper() == "SELECT" and isinstance(params, list | tuple):
            seen.append((sql, tuple(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return seen


def explain(cursor: Any, sql: str, params: tuple) -> tuple[float, float]:
    cursor.execute("EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Planning Time"]), float(plan[0]["Execution Time"])


def timings(sql: str, params: tuple, name: str) -> dict[str, float]:
    """Median planning and execution of one statement, as text and prepared (ms)."""
    from smartedu.portal.prepared import MARKER, server_form

    if MARKER in sql:  # sent as text by design (its plan depends on its values): both columns say so
        with connection.connection.cursor(cursor_factory=psycopg2.extensions.cursor) as cursor:
            as_text = [explain(cursor, sql, params) for _ in range(RUNS)]
        planning = statistics.median(p for p, _e in as_text)
        execution = statistics.median(e for _p, e in as_text)
        return {
            "text_planning": planning,
            "text_execution": execution,
            "prepared_planning": planning,
            "prepared_execution": execution,
        }
    text, _count = server_form(sql)
    raw = connection.connection
    with raw.cursor(cursor_factory=psycopg2.extensions.cursor) as cursor:  # nothing below prepares or logs
        cursor.execute(f"PREPARE {name} AS {text}")
        placeholders = ", ".join(["%s"] * len(params))
        execute = f"EXECUTE {name}({placeholders})" if params else f"EXECUTE {name}"
        for _ in range(6):  # PostgreSQL settles on a plan (custom or generic) after five executions
            cursor.execute(execute, params)
        as_text = [explain(cursor, sql, params) for _ in range(RUNS)]
        prepared = [explain(cursor, execute, params) for _ in range(RUNS)]
        cursor.execute(f"DEALLOCATE {name}")
    return {
        "text_planning": statistics.median(p for p, _e in as_text),
        "text_execution": statistics.median(e for _p, e in as_text),
        "prepared_planning": statistics.median(p for p, _e in prepared),
        "prepared_execution": statistics.median(e for _p, e in prepared),
    }


KEYS = ("text_planning", "text_execution", "prepared_planning", "prepared_execution")


def measure() -> list[dict[str, Any]]:
    rows = []
    # Blocks cached: what a page runs in the steady state; rendered: every statement of the page, as on the
    # first request after a change (FRAGMENT_CACHE_SECONDS=0).
    for blocks, seconds in (("cached", 600), ("rendered", 0)):
        with override_settings(FRAGMENT_CACHE_SECONDS=seconds):
            for name, path in page_bench.pages().items():
                for visitor, client in page_bench.clients().items():
                    if name == "search" and visitor == "signed_in":
                        continue
                    for _ in range(3):
                        client.get(path)
                    statements = statements_of(client, path)
                    totals = dict.fromkeys(KEYS, 0.0)
                    for number, (sql, params) in enumerate(statements):
                        for key, value in timings(sql, params, f"bench_planning_{number}").items():
                            totals[key] += value
                    row = {"path": path, "visitor": visitor, "blocks": blocks, "statements": len(statements)}
                    rows.append({**row, **totals})
                    print(
                        f"{path} {visitor} (blocks {blocks}): {len(statements)} statements, as text "
                        f"{totals['text_planning']:.3f} ms planning / {totals['text_execution']:.3f} ms "
                        f"execution; prepared {totals['prepared_planning']:.3f} / "
                        f"{totals['prepared_execution']:.3f} ms",
                        flush=True,
                    )
    return rows


def write(rows: list[dict[str, Any]]) -> Path:
    now = datetime.now(UTC)
    out = RESULTS / f"planning-{now:%Y-%m-%d}.md"
    lines = [
        f"# Planning against execution — {now:%Y-%m-%d %H:%M} UTC",
        "",
        "`bench/planning.py`: every SELECT of the page's last request, timed by PostgreSQL "
        "(`EXPLAIN (ANALYZE, SUMMARY)`, median of "
        f"{RUNS}), summed per page. *As text* is how psycopg2 sends a statement without help (parsed and "
        "planned each time); *prepared* is what `smartedu/portal/prepared.py` sends once a statement has run "
        "`DATABASE_PREPARE_THRESHOLD` times on a connection (`EXECUTE` of a statement PostgreSQL has settled "
        "on). Production mode, the small demo data; ms.",
        "",
        "Blocks *cached* is the steady state (the page's `{% fragment %}` blocks come from the cache); "
        "*rendered* runs every statement of the page, as the first request after a change does. Statements "
        "marked `UNPREPARED` (search: their plan depends on the term) are sent as text by design, so both "
        "columns show them as text.",
        "",
        "| page | visitor | blocks | statements | as text: planning | as text: execution "
        "| prepared: planning | prepared: execution | planning ≤ execution |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    met_all = True
    for row in rows:
        met = row["prepared_planning"] <= row["prepared_execution"]
        met_all = met_all and met
        lines.append(
            f"| `{row['path']}` | {row['visitor']} | {row['blocks']} | {row['statements']} | "
            f"{row['text_planning']:.3f} | {row['text_execution']:.3f} | {row['prepared_planning']:.3f} | "
            f"{row['prepared_execution']:.3f} | {'met' if met else '**missed**'} |"
        )
    text_planning = sum(r["text_planning"] for r in rows)
    prepared_planning = sum(r["prepared_planning"] for r in rows)
    lines += [
        "",
        f"Goal (no page spends more time planning than executing), with prepared statements: "
        f"{'met on every page' if met_all else '**missed on some pages**'}. Planning over all pages: "
        f"{text_planning:.2f} ms as text, {prepared_planning:.2f} ms prepared"
        + (f" ({text_planning / prepared_planning:.0f}× less)." if prepared_planning else "."),
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def main() -> int:
    if connection.vendor != "postgresql":
        raise SystemExit("planning is PostgreSQL's: set BENCH_DATABASE_URL")
    with override_settings(ROOT_URLCONF="bench.server.pages_urls", DEBUG=False):
        rows = measure()
    print(f"written: {write(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
