"""G3 (issue 14): flushing 200,000 distinct buffered keys against a bare SQL upsert of the same keys.

Production mode, on the seed-scale database that ``bench/seed_scale.py`` loads (``BENCH_SEED_DATABASE_URL``,
default ``postgres://postgres@127.0.0.1:5432/smartedu_bench_seed``) and ``BENCH_REDIS_URL`` (flushed).

* The keys: ``BENCH_FLUSH_KEYS`` (200,000) distinct (K-12 lesson, province) pairs of one day, written into
  hourly buckets of at most ``STATS_BUCKET_MAX_KEYS`` keys each, exactly as the beacon leaves them.
* The flush: ``services.view_counts_flush()`` — drain, every rollup (object-day, province, section,
  platform, hour), the denormalised view counters, the batch ids, in one transaction per batch.
* The baseline, same run and database: one ``INSERT … ON CONFLICT DO UPDATE`` per 5,000 rows of the same
  200,000 (kind, object, province) keys into a table that has nothing but that unique key — the least any
  SQL aggregation of these keys can cost.
* The same flush with 10× the views on the same keys: its cost must follow the keys, not the views.

Writes ``bench/results/flush-<date>.md``.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_SEED_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smartedu_bench_seed"
)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("DJANGO_SECURE_HTTPS", "0")
os.environ.setdefault("SMARTEDU_VAR_DIR", str(ROOT / "var" / "bench-seed"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")
os.environ["STATS_BUCKET_SECONDS"] = "3600"
KEYS = int(os.environ.get("BENCH_FLUSH_KEYS", "200000"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402

from k12.models import Lesson  # noqa: E402
from smartedu.stats import services  # noqa: E402
from smartedu.stats.buffer import GENERATION_FIELD, RedisBuffer, get_buffer  # noqa: E402
from smartedu.stats.viewers import _province_codes  # noqa: E402

KIND = "k12.lesson"


def keys() -> list[tuple[int, str]]:
    lessons = list(Lesson.objects.order_by("pk").values_list("pk", flat=True))
    provinces = sorted(set(_province_codes().values()))
    pairs = [(lesson, code) for code in provinces for lesson in lessons]
    if len(pairs) < KEYS:
        sys.exit(
            f"only {len(pairs)} (lesson, province) pairs: load the seed scale first (bench/seed_scale.py)"
        )
    return pairs[:KEYS]


def fill(buffer: RedisBuffer, pairs: list[tuple[int, str]], views_each: int, day_start: int) -> None:
    """Write the keys into hourly buckets as the beacon's script would (cap, generation, index)."""
    cap = settings.STATS_BUCKET_MAX_KEYS
    pipe = buffer.redis.pipeline(transaction=False)
    for index in range(0, len(pairs), cap):
        bucket = buffer._bucket_key(day_start + 3600 * (index // cap))
        chunk = pairs[index : index + cap]
        for start in range(0, len(chunk), 10_000):
            pipe.hset(
                bucket, mapping={f"{KIND}|{o}|{p}": views_each for o, p in chunk[start : start + 10_000]}
            )
        pipe.hset(bucket, GENERATION_FIELD, f"bench{time.time_ns()}")
        pipe.sadd(buffer.buckets_key, bucket)
    pipe.execute()


def flush_seconds(pairs: list[tuple[int, str]], views_each: int, day_offset: int) -> float:
    buffer = get_buffer()
    assert isinstance(buffer, RedisBuffer), "production mode (Redis) only"
    # A day of its own for each run, 2 days ago and before: every key is a new row, as on a fresh day.
    day_start = (int(time.time()) // 86400 - 2 - day_offset) * 86400
    fill(buffer, pairs, views_each, day_start)
    started = time.perf_counter()
    result = services.view_counts_flush()
    took = time.perf_counter() - started
    print(f"flush ×{views_each}: {result.as_dict()} in {took:.2f} s", flush=True)
    return took


def baseline_seconds(pairs: list[tuple[int, str]]) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_upsert")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_upsert (day date, kind varchar(64), object_id bigint, "
            "province_code varchar(2), views bigint, PRIMARY KEY (day, kind, object_id, province_code))"
        )
    rows = [(datetime.now(tz=UTC).date(), KIND, o, p, 1) for o, p in pairs]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            "INSERT INTO bench_upsert (day, kind, object_id, province_code, views) VALUES %s "
            "ON CONFLICT (day, kind, object_id, province_code) DO UPDATE "
            "SET views = bench_upsert.views + excluded.views",
            rows,
            page_size=5000,
        )
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_upsert")
    print(f"bare upsert: {took:.2f} s", flush=True)
    return took


def main() -> None:
    started = datetime.now(tz=UTC)
    get_buffer().redis.flushdb()
    services.view_counts_flush()  # whatever was pending
    pairs = keys()
    baseline = baseline_seconds(pairs)
    flush_1 = flush_seconds(pairs, 1, 0)
    flush_10 = flush_seconds(pairs, 10, 1)
    ratio = flush_1 / baseline
    met = ratio <= 2
    lines = [
        f"# G3: flushing {KEYS:,} distinct keys — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"PostgreSQL + Redis, seed-scale database; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "CPUs (shared machine).",
        "",
        "| what | seconds | ratio |",
        "| --- | ---: | ---: |",
        f"| baseline: bare `INSERT … ON CONFLICT` of the same keys | {baseline:.2f} | 1 |",
        f"| flush, 1 view per key (every rollup, counters, batch ids) | {flush_1:.2f} | {ratio:.2f} |",
        f"| flush, 10 views per key (same keys) | {flush_10:.2f} | {flush_10 / baseline:.2f} |",
        "",
        f"Goal ≤ 2× the bare upsert: **{'met' if met else f'missed by {ratio / 2 - 1:.0%}'}** "
        f"({ratio:.2f}×). "
        f"Views ×10 on the same keys: {flush_10 / flush_1:.2f}× the time (the cost follows the keys).",
    ]
    out = ROOT / "bench" / "results" / f"flush-{started.date().isoformat()}.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
