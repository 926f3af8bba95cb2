"""Benchmark of view counting and the flush (``make bench``; results in bench/results/stats.json).

* Counting: ``views_record`` (rate limit, de-duplication and count in ONE Lua round trip) against a
  baseline in the same run: a bare pipeline of one HINCRBY per view into one hash — the least any Redis
  counter can do. Also the same with the de-duplication on (every view from a new visitor).
* Beacon in process (no HTTP): the whole ``POST /api/v1/stats/views/`` through Django's test client, against
  ``GET /healthz`` through the same client — the figure closest to issue 14's G2 without a server.
* Flush: the same number of distinct keys carrying 10× and 100× more views; the cost should follow the
  distinct keys, not the views.

Runs against the mode of the environment (Redis when REDIS_URL is set, else the database buffer), on a
scratch database of its own under var/bench/ (SQLite) or the DATABASE_URL given.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SMARTEDU_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")
os.environ.setdefault("STATS_BUCKET_SECONDS", "3600")
os.environ.setdefault("STATS_DEDUPE_SECONDS", "0")  # counting mechanics; the de-duplication is measured apart
os.environ.setdefault("API_THROTTLE_STATS_BEACON", "100000000/min")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from smartedu.stats import services  # noqa: E402
from smartedu.stats.buffer import get_buffer  # noqa: E402
from smartedu.stats.models import ProcessedBatch  # noqa: E402

UA = "Mozilla/5.0 (bench)"


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def bench_counting(views: int = 3000) -> dict:
    from django.test import override_settings

    from smartedu.stats import registry
    from smartedu.stats.viewers import Viewer

    items = [services.ViewedItem(kind=registry.get_kind("portal.home"), object_id=0)]
    viewer = Viewer(user_id=None, province_code="45", visitor="a" + "0" * 32, rate_key="bench")

    def ours():
        for _ in range(views):
            services.views_record(items=items, viewer=viewer, user_agent=UA)

    def ours_deduplicated():
        for n in range(views):  # a new visitor each time, so every view passes the de-duplication
            visitor = Viewer(user_id=None, province_code="45", visitor=f"a{n:032d}", rate_key="bench")
            services.views_record(items=items, viewer=visitor, user_agent=UA)

    result = {"views": views, "ours_s": timed(ours)}
    with override_settings(STATS_DEDUPE_SECONDS=60):
        result["ours_with_dedupe_s"] = timed(ours_deduplicated)
    buffer = get_buffer()
    if hasattr(buffer, "redis"):
        client = buffer.redis

        def baseline():
            for _ in range(views):
                pipe = client.pipeline(transaction=False)
                pipe.hincrby("bench:{views}:baseline", "portal.home|0|45", 1)
                pipe.execute()

        result["baseline_s"] = timed(baseline)
        result["ratio"] = round(result["ours_s"] / result["baseline_s"], 2)
        result["ratio_with_dedupe"] = round(result["ours_with_dedupe_s"] / result["baseline_s"], 2)
        client.delete("bench:{views}:baseline")
    services.view_counts_flush()
    return result


def bench_beacon_in_process(requests: int = 2000) -> dict:
    """The beacon view against ``/healthz`` through Django's test client (middleware included, no HTTP)."""
    from django.test import Client

    client = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR="198.51.100.9", HTTP_HOST="127.0.0.1")
    body = '{"items": [{"kind": "portal.home", "id": 0}]}'

    def beacon():
        for _ in range(requests):
            response = client.post("/api/v1/stats/views/", body, content_type="text/plain")
            assert response.status_code == 204, response.status_code

    def hello():
        for _ in range(requests):
            assert client.get("/healthz").status_code == 200

    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    client.post("/api/v1/stats/views/", body, content_type="text/plain")  # the day's salt, once per process
    with connection.execute_wrapper(count):
        first = client.post("/api/v1/stats/views/", body, content_type="text/plain")
    assert first.status_code == 204, first.status_code
    result = {
        "requests": requests,
        "beacon_s": timed(beacon),
        "healthz_s": timed(hello),
        "sql_per_beacon": len(statements),
    }
    result["ratio_to_healthz"] = round(result["healthz_s"] / result["beacon_s"], 2)
    services.view_counts_flush()
    return result


def bench_flush(keys: int = 300, multiples: tuple[int, ...] = (1, 10, 100)) -> dict:
    from smartedu.stats.buffer import CountedView, RecordRequest

    buffer = get_buffer()
    rows = {}
    for multiple in multiples:
        # distinct keys: 31 provinces in each of ``keys / 31`` hourly buckets
        codes = [f"{n % 31 + 11:02d}" for n in range(31)]
        views = [CountedView("portal.home", 0, codes[k % 31], "portal") for k in range(31)]
        hours = max(1, keys // len(views))
        when0 = datetime(2024, 1, 1, tzinfo=UTC)
        for h in range(hours):
            when = when0.replace(hour=h % 24, day=1 + h // 24)
            for _ in range(multiple):
                buffer.record(
                    RecordRequest(
                        views=views,
                        visitor="a" + "1" * 32,
                        when=when,
                        day=when.date(),
                        rate_key="bench",
                        rate=None,
                        dedupe_seconds=0,
                        max_keys=10**6,
                        platforms=["portal"],
                    )
                )
        with CaptureQueriesContext(connection) as ctx:
            seconds = timed(services.view_counts_flush, repeat=1)
        rows[multiple] = {
            "views": hours * len(views) * multiple,
            "distinct_keys": hours * len(views),
            "flush_s": round(seconds, 4),
            "queries": len(ctx.captured_queries),
        }
    base = rows[multiples[0]]["flush_s"]
    for row in rows.values():
        row["ratio_to_1x"] = round(row["flush_s"] / base, 2) if base else None
    return rows


def main() -> None:
    call_command("migrate", verbosity=0)
    ProcessedBatch.objects.all().delete()
    mode = "production (Redis)" if os.environ.get("REDIS_URL") else "embedded (database buffer)"
    results = {
        "mode": mode,
        "database": connection.vendor,
        "counting": bench_counting(),
        "beacon_in_process": bench_beacon_in_process(),
        "flush": bench_flush(),
        "at": datetime.now(tz=UTC).isoformat(),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "stats.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
