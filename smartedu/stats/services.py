"""Writes of view statistics: counting views into the buffer and flushing the buffer into the rollups."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Min, Sum
from django.utils import timezone

from smartedu.stats import registry, rules, selectors
from smartedu.stats.buffer import (
    Batch,
    Buffer,
    BufferUnavailable,
    CountedView,
    CountKey,
    RecordRequest,
    get_buffer,
)
from smartedu.stats.models import (
    DroppedDailyView,
    DroppedReason,
    FailedBatch,
    ObjectDailyView,
    ObjectMonthlyView,
    PlatformDailyView,
    PlatformHourlyView,
    ProcessedBatch,
    ProvinceDailyView,
    SectionDailyView,
)
from smartedu.stats.periods import local_day, month_start, next_month
from smartedu.stats.upsert import counters_add, upsert
from smartedu.stats.viewers import Viewer

logger = logging.getLogger(__name__)

PROCESSED_BATCH_RETENTION = timedelta(days=30)


def now() -> datetime:
    """The time a view is counted at (one place, so that tests can pin a view to a bucket)."""
    return timezone.now()


@dataclass(frozen=True)
class ViewedItem:
    """A validated item of a beacon: a registered kind and an id (0 for a page kind)."""

    kind: registry.ContentKind
    object_id: int


@dataclass(frozen=True)
class RecordResult:
    """What one beacon did: refused by the rate limit, or counted/de-duplicated/dropped views."""

    allowed: bool = True
    retry_after: int = 0
    counted: int = 0
    duplicates: int = 0
    dropped: int = 0
    bot: bool = False


def views_record(
    *, items: Iterable[ViewedItem], viewer: Viewer, user_agent: str, when: datetime | None = None
) -> RecordResult:
    """Count one view of each distinct item for this viewer: ONE buffer round trip, no SQL with Redis.

    Repeats of an item in one request count once; the viewer counts at most once per object every
    ``STATS_DEDUPE_SECONDS``; the client's requests are limited (``API_THROTTLE_STATS_BEACON``, per user or
    client address) in the same round trip. A known bot counts nothing and costs no round trip. Raises
    ``BufferUnavailable`` when the buffer does not answer in time (nothing is retried, nothing counted twice).
    """
    if rules.user_agent_is_bot(user_agent):
        return RecordResult(bot=True)
    views: dict[str, CountedView] = {}
    for item in items:
        view = CountedView(
            kind=item.kind.key,
            object_id=item.object_id,
            province_code=viewer.province_code,
            platform=item.kind.platform,
        )
        views.setdefault(view.item, view)
    when = when or now()
    outcome = get_buffer().record(
        RecordRequest(
            views=list(views.values()),
            visitor=viewer.visitor,
            when=when,
            day=local_day(when),
            rate_key=viewer.rate_key,
            rate=rules.beacon_rate(),
            dedupe_seconds=settings.STATS_DEDUPE_SECONDS,
            max_keys=settings.STATS_BUCKET_MAX_KEYS,
            platforms=sorted({v.platform for v in views.values()}),
        )
    )
    return RecordResult(
        allowed=outcome.allowed,
        retry_after=outcome.retry_after,
        counted=outcome.counted,
        duplicates=outcome.duplicates,
        dropped=outcome.dropped,
    )


# --- The flush ----------------------------------------------------------------------------------------------


@dataclass
class FlushResult:
    batches: int = 0
    skipped_batches: int = 0
    failed_batches: int = 0
    set_aside_batches: int = 0
    views: int = 0
    dropped: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _test_pause(stage: str, batch_id: str) -> None:
    """Only for the crash tests (``STATS_TEST_FLUSH_PAUSE``): give them a moment to kill this process."""
    seconds = settings.STATS_TEST_FLUSH_PAUSE
    if seconds and stage == settings.STATS_TEST_FLUSH_PAUSE_AT:
        logger.warning("stats flush paused %s of batch %s for %s s", stage, batch_id, seconds)
        time.sleep(seconds)


def _chunks(ids: Iterable[int], size: int) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _locations(kind_key: str, ids: Iterable[int]) -> dict[int, registry.Location]:
    """Where each object that still exists sits, looked up ``STATS_FLUSH_CHUNK`` ids at a time."""
    kind = registry.get_kind(kind_key)
    if kind is None:
        return {}
    found: dict[int, registry.Location] = {}
    for chunk in _chunks(ids, max(1, settings.STATS_FLUSH_CHUNK)):
        found.update(kind.locations(chunk))
    return found


Rows = dict[str, list[dict[str, Any]]]
Counters = dict[str, dict[int, int]]


def _rollup_rows(batch: Batch) -> tuple[Rows, Counters, int]:
    """The batch's counts as rollup rows (per table) and counter increments (per kind); and dropped views."""
    local = timezone.localtime(batch.bucket)
    day = local.date()
    hour = local.replace(minute=0, second=0, microsecond=0)

    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for kind_key, object_id, _province in batch.counts:
        ids_by_kind[kind_key].add(object_id)
    locations = {kind_key: _locations(kind_key, ids) for kind_key, ids in ids_by_kind.items()}

    platform_day: dict[str, int] = defaultdict(int)
    province_day: dict[tuple[str, str], int] = defaultdict(int)
    section_day: dict[tuple[str, str, str], int] = defaultdict(int)
    object_day: dict[tuple[str, int], int] = defaultdict(int)
    counters: Counters = defaultdict(lambda: defaultdict(int))
    dropped = 0
    for (kind_key, object_id, province), views in batch.counts.items():
        kind = registry.get_kind(kind_key)
        location = locations[kind_key].get(object_id)
        if kind is None or location is None:
            dropped += (
                views  # the kind was unregistered or the object deleted since the view, or never existed
            )
            continue
        platform_day[kind.platform] += views
        province_day[(kind.platform, province)] += views
        if location.section_ref:
            section_day[(kind.platform, location.section_ref, location.column_ref)] += views
        if not kind.is_page:
            object_day[(kind_key, object_id)] += views
            if kind.counter_field:
                counters[kind_key][object_id] += views

    def platform_of(kind_key: str) -> str:
        kind = registry.get_kind(kind_key)
        return kind.platform if kind else ""

    rows: Rows = {
        "platform_day": [
            {"day": day, "platform": p, "views": n, "visitors": 0} for p, n in platform_day.items()
        ],
        "platform_hour": [{"hour": hour, "platform": p, "views": n} for p, n in platform_day.items()],
        "province_day": [
            {"day": day, "platform": p, "province_code": c, "views": n} for (p, c), n in province_day.items()
        ],
        "section_day": [
            {"day": day, "platform": p, "section_ref": s, "column_ref": c, "views": n}
            for (p, s, c), n in section_day.items()
        ],
        "object_day": [
            {
                "day": day,
                "kind": k,
                "object_id": o,
                "platform": platform_of(k),
                "section_ref": locations[k][o].section_ref,
                "column_ref": locations[k][o].column_ref,
                "views": n,
            }
            for (k, o), n in object_day.items()
        ],
        "dropped_day": [
            {"day": day, "reason": reason, "views": n}
            for reason, n in (
                (DroppedReason.OVER_CAP, batch.dropped_over_cap),
                (DroppedReason.UNKNOWN, dropped),
            )
            if n
        ],
    }
    return rows, counters, dropped


def rollups_add(
    *, rows: Mapping[str, list[dict[str, Any]]], counters: Mapping[str, Mapping[int, int]]
) -> int:
    """Add rollup rows and counter increments (call inside the transaction that records their batch)."""
    written = 0
    written += upsert(
        PlatformDailyView, rows["platform_day"], conflict=["day", "platform"], merge={"views": "add"}
    )
    written += upsert(
        PlatformHourlyView, rows["platform_hour"], conflict=["hour", "platform"], merge={"views": "add"}
    )
    written += upsert(
        ProvinceDailyView,
        rows["province_day"],
        conflict=["day", "platform", "province_code"],
        merge={"views": "add"},
    )
    written += upsert(
        SectionDailyView,
        rows["section_day"],
        conflict=["day", "platform", "section_ref", "column_ref"],
        merge={"views": "add"},
    )
    written += object_views_add(rows=rows["object_day"])
    written += upsert(
        DroppedDailyView, rows.get("dropped_day", []), conflict=["day", "reason"], merge={"views": "add"}
    )
    for kind_key, increments in counters.items():
        kind = registry.get_kind(kind_key)
        if kind is not None:
            written += view_counters_add(kind=kind, increments=increments)
    return written


def object_views_add(*, rows: Sequence[Mapping[str, Any]]) -> int:
    """Add object-day rows to the daily rollup and to the monthly one (call inside the batch's transaction).

    The monthly rows are the same keys with the day's month: a batch replayed after a crash is skipped by
    its batch id before either is written, so the months stay the sums of their days.
    """
    monthly: dict[tuple[date, str, int], dict[str, Any]] = {}
    for row in rows:
        key = (month_start(row["day"]), row["kind"], row["object_id"])
        if key in monthly:
            monthly[key]["views"] += row["views"]
        else:
            monthly[key] = {**row, "month": key[0]}
            del monthly[key]["day"]
    written = upsert(ObjectDailyView, rows, conflict=["kind", "object_id", "day"], merge={"views": "add"})
    written += upsert(
        ObjectMonthlyView,
        list(monthly.values()),
        conflict=["kind", "object_id", "month"],
        merge={"views": "add"},
    )
    selectors.rollups_changed()  # cached rankings are stale after the commit
    return written


def object_monthly_rebuild(*, months: Iterable[date] | None = None) -> int:
    """Recompute the monthly object rollup from the daily rows (all months, or those given).

    One transaction per month, which first locks the monthly table against writes (``SHARE ROW
    EXCLUSIVE``): a flush waits for the month's rebuild, or the rebuild waits for the flush's commit, so no
    batch is lost or counted twice. Returns the monthly rows written.
    """
    if months is None:
        months = sorted(
            {month_start(day) for day in ObjectDailyView.objects.dates("day", "month")}
            | set(ObjectMonthlyView.objects.values_list("month", flat=True).distinct())
        )
    written = 0
    for month in months:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(ObjectMonthlyView._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            ObjectMonthlyView.objects.filter(month=month).delete()
            written += monthly_rows_insert(
                daily=ObjectDailyView, monthly=ObjectMonthlyView, month=month, connection=connection
            )
            selectors.rollups_changed()
    return written


def monthly_rows_insert(
    *, daily: type[models.Model], monthly: type[models.Model], month: date, connection: Any
) -> int:
    """``INSERT INTO monthly SELECT … FROM daily GROUP BY object`` for one month; returns the rows.

    Takes the models and the connection as parameters so that it works with a migration's historical
    models too (migration 0003 keeps its own copy, as a migration must not import code that changes).
    """
    end = next_month(month)
    source = (
        daily._default_manager.filter(day__gte=month, day__lt=end)
        .values("kind", "object_id")
        .annotate(
            platform_=Min("platform"),
            section_=Min("section_ref"),
            column_=Min("column_ref"),
            views_=Sum("views"),
        )
        .order_by()
    )
    select, params = source.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(monthly._meta.get_field(name).column)  # type: ignore[union-attr]
        for name in ("kind", "object_id", "platform", "section_ref", "column_ref", "views", "month")
    )
    with connection.cursor() as cursor:
        # Names come from the models and are quoted; the month and the source's values are parameters.
        cursor.execute(
            f"INSERT INTO {quote(monthly._meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT source.*, %s FROM ({select}) AS source",
            [connection.ops.adapt_datefield_value(month), *params],
        )
        return cursor.rowcount


def view_counters_add(*, kind: registry.ContentKind, increments: Mapping[int, int]) -> int:
    """``view_count += n`` on each object (``upsert.counters_add``: one UPDATE per 5,000 objects)."""
    model, counter = kind.model_class, kind.counter_field
    if model is None or counter is None:
        return 0
    return counters_add(model, counter, increments)


def batch_apply(*, buffer: Buffer, batch_id: str) -> tuple[bool, int, int]:
    """Add one buffer batch to the rollups exactly once.

    The batch id is inserted into ``ProcessedBatch`` in the transaction of the upserts: if this process dies
    before the commit, nothing of the batch is in the database and the batch stays pending in the buffer; if
    it dies after the commit, a replay finds the id and only discards the batch. Batch ids are derived from
    the bucket (``buffer.py``), so a bucket that returns from a Redis replica or snapshot is recognised too.
    Returns whether the batch was applied now (False: it had been applied before), the views it added and
    the views it dropped (over the key cap, or of content that does not exist).
    """
    batch = buffer.read(batch_id)
    rows, counters, unknown = _rollup_rows(batch)
    dropped = unknown + batch.dropped_over_cap
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedBatch.objects.create(batch_id=batch_id, views=batch.views - unknown)
        except IntegrityError:
            applied = False
        else:
            applied = True
            rollups_add(rows=rows, counters=counters)
            FailedBatch.objects.filter(batch_id=batch_id, set_aside_at__isnull=True).delete()
            if dropped:
                logger.warning(
                    "stats batch %s: %d views dropped (%d over the key cap, %d of unknown content)",
                    batch_id,
                    dropped,
                    batch.dropped_over_cap,
                    unknown,
                )
        if buffer.transactional:
            buffer.discard(batch_id)
        _test_pause("before_commit", batch_id)

    def after_commit() -> None:
        _test_pause("after_commit", batch_id)
        if not buffer.transactional:
            buffer.discard(batch_id)

    transaction.on_commit(after_commit)
    return applied, (batch.views - unknown) if applied else 0, dropped if applied else 0


def _counts_json(batch: Batch) -> dict[str, int]:
    counts = {f"{k}|{o}|{p}": n for (k, o, p), n in batch.counts.items()}
    if batch.dropped_over_cap:
        counts["!dropped"] = batch.dropped_over_cap
    return counts


def batch_failure_record(*, buffer: Buffer, batch_id: str, error: BaseException) -> bool:
    """Count a failed flush of a batch; at ``STATS_BATCH_MAX_FAILURES`` set it aside. Returns set aside?

    A batch set aside keeps its counts in ``FailedBatch`` and leaves the buffer, so that the batches after
    it are flushed as usual; ``failed_batch_requeue`` puts it back once the cause is fixed.
    """
    now = timezone.now()
    set_aside = False
    with transaction.atomic():
        failure, _created = FailedBatch.objects.select_for_update().get_or_create(
            batch_id=batch_id, defaults={"last_failed_at": now}
        )
        failure.attempts += 1
        failure.last_error = f"{error.__class__.__name__}: {error}"[:2000]
        failure.last_failed_at = now
        if failure.attempts >= max(1, settings.STATS_BATCH_MAX_FAILURES):
            batch = buffer.read(batch_id)
            failure.counts = _counts_json(batch)
            failure.views = batch.views + batch.dropped_over_cap
            failure.set_aside_at = now
            set_aside = True
            if buffer.transactional:
                buffer.discard(batch_id)
        failure.save()
    if set_aside:
        if not buffer.transactional:
            buffer.discard(batch_id)
        logger.error(
            "stats batch %s set aside after %d failed flushes (%d views): %s",
            batch_id,
            failure.attempts,
            failure.views,
            failure.last_error,
        )
    else:
        logger.warning("stats batch %s failed (%d): %s", batch_id, failure.attempts, failure.last_error)
    return set_aside


def failed_batch_requeue(*, batch_id: str) -> int:
    """Put a batch that was set aside back into the buffer, under its own id; returns its views."""
    failure = FailedBatch.objects.get(batch_id=batch_id, set_aside_at__isnull=False)
    counts: dict[CountKey, int] = {}
    for key, views in failure.counts.items():
        if not key.startswith("!"):
            kind, object_id, province = key.split("|", 2)
            counts[(kind, int(object_id), province)] = int(views)
    get_buffer().requeue(batch_id, counts)
    failure.delete()
    return sum(counts.values())


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def visitors_refresh(*, buffer: Buffer, today: date) -> int:
    """Copy the unique-visitor counts of today and yesterday from the buffer into the daily rollup.

    Idempotent: the counts are re-read in full and merged with ``max``, so a replay or a restarted Redis
    that lost its HyperLogLogs never lowers a figure already stored.
    """
    days = [today - timedelta(days=1), today]
    counts = buffer.visitors(days=days, platforms=registry.platform_keys())
    rows = [{"day": d, "platform": p, "views": 0, "visitors": n} for (d, p), n in counts.items() if n]
    buffer.forget_visitors_before(days[0])
    return upsert(PlatformDailyView, rows, conflict=["day", "platform"], merge={"visitors": "max"})


def view_counts_flush() -> FlushResult:
    """Drain the buffer into the rollups: every bucket becomes a batch, every pending batch is applied once.

    Pending batches left by a flush that crashed are applied (or, if their transaction had committed,
    discarded) first. A batch that fails is counted against it and the flush goes on with the next one;
    after ``STATS_BATCH_MAX_FAILURES`` failures it is set aside. When the database itself stops answering,
    the flush stops (and Celery retries it) without counting that against any batch. The cost grows with the
    distinct (object, province) keys of a batch, not its views.
    """
    buffer = get_buffer()
    result = FlushResult()
    buffer.drain()
    for batch_id in buffer.pending():
        try:
            applied, views, dropped = batch_apply(buffer=buffer, batch_id=batch_id)
        except (redis.RedisError, BufferUnavailable):
            raise
        except Exception as exc:
            if not _database_answers():
                raise
            result.failed_batches += 1
            result.set_aside_batches += batch_failure_record(buffer=buffer, batch_id=batch_id, error=exc)
            continue
        if applied:
            result.batches += 1
            result.views += views
            result.dropped += dropped
        else:
            result.skipped_batches += 1
    result.rows = visitors_refresh(buffer=buffer, today=timezone.localdate())
    # Batch ids are kept long after any replay could come; the seed's markers are kept for good.
    ProcessedBatch.objects.filter(processed_at__lt=timezone.now() - PROCESSED_BATCH_RETENTION).exclude(
        batch_id__startswith="seed:"
    ).delete()
    return result
