"""Writes of view statistics: counting views into the buffer and flushing the buffer into the rollups."""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.stats import registry
from smartedu.stats.buffer import Batch, CountedView, get_buffer
from smartedu.stats.models import (
    ObjectDailyView,
    PlatformDailyView,
    PlatformHourlyView,
    ProcessedBatch,
    ProvinceDailyView,
    SectionDailyView,
)
from smartedu.stats.upsert import upsert

logger = logging.getLogger(__name__)

MAX_ITEMS = 50
MAX_OBJECT_ID = 2**63 - 1
PROCESSED_BATCH_RETENTION = timedelta(days=30)

# Crawlers, link previewers and HTTP libraries. Browsers always send a User-Agent, so an empty one is a bot.
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|bingpreview|mediapartners|"
    r"curl/|wget/|python-requests|python-urllib|httpx|aiohttp|okhttp|go-http-client|java/|libwww|scrapy|"
    r"headless ?shell|phantomjs|lighthouse|pingdom|uptimerobot",
    re.IGNORECASE,
)


def user_agent_is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


@dataclass
class RecordResult:
    """``counted`` views went into the buffer; ``errors`` maps the index of each rejected item to why."""

    counted: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)
    bot: bool = False


def _item_parse(item: object, province_code: str) -> CountedView | str:
    if not isinstance(item, Mapping):
        return _("An item must be an object with a kind and an id.")
    kind_key = item.get("kind")
    kind = registry.get_kind(kind_key) if isinstance(kind_key, str) else None
    if kind is None:
        return _("Unknown content kind: %(kind)s.") % {"kind": str(kind_key)[:64]}
    object_id = item.get("id")
    if isinstance(object_id, str) and object_id.isdigit():
        object_id = int(object_id)
    if isinstance(object_id, bool) or not isinstance(object_id, int) or not 0 <= object_id <= MAX_OBJECT_ID:
        return _("The id must be a whole number of 0 or more.")
    if kind.is_page and object_id != 0:
        return _("The id of a page kind must be 0.")
    return CountedView(
        kind=kind.key, object_id=object_id, province_code=province_code, platform=kind.platform
    )


def views_record(
    *,
    items: Sequence[object],
    province_code: str,
    visitor: str,
    user_agent: str,
    when: datetime | None = None,
) -> RecordResult:
    """Count one view of every valid item (O(1) buffer operations each; no SQL with the Redis buffer).

    Invalid items are reported by index and do not stop the valid ones. A known bot counts nothing.
    ``province_code`` must already be validated ("" when unknown).
    """
    result = RecordResult()
    if user_agent_is_bot(user_agent):
        result.bot = True
        return result
    views = []
    for index, item in enumerate(items[:MAX_ITEMS]):
        parsed = _item_parse(item, province_code)
        if isinstance(parsed, str):
            result.errors[index] = [parsed]
        else:
            views.append(parsed)
    for index in range(MAX_ITEMS, len(items)):
        result.errors[index] = [_("At most %(n)d items are counted per request.") % {"n": MAX_ITEMS}]
    when = when or timezone.now()
    get_buffer().record(views=views, visitor=visitor, when=when, day=timezone.localdate(when))
    result.counted = len(views)
    return result


# --- The flush ----------------------------------------------------------------------------------------------


@dataclass
class FlushResult:
    batches: int = 0
    skipped_batches: int = 0
    views: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _test_pause(stage: str, batch_id: str) -> None:
    """Only for the crash tests (``STATS_TEST_FLUSH_PAUSE``): give them a moment to kill this process."""
    seconds = settings.STATS_TEST_FLUSH_PAUSE
    if seconds and stage == settings.STATS_TEST_FLUSH_PAUSE_AT:
        logger.warning("stats flush paused %s of batch %s for %s s", stage, batch_id, seconds)
        time.sleep(seconds)


def _rollup_rows(batch: Batch) -> tuple[dict[str, list[dict]], dict[str, dict[int, int]], int]:
    """The batch's counts as rollup rows (per table) and counter increments (per kind); and dropped views."""
    local = timezone.localtime(batch.bucket)
    day = local.date()
    hour = local.replace(minute=0, second=0, microsecond=0)

    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for kind_key, object_id, _province in batch.counts:
        ids_by_kind[kind_key].add(object_id)
    locations: dict[str, dict[int, registry.Location]] = {}
    for kind_key, ids in ids_by_kind.items():
        kind = registry.get_kind(kind_key)
        locations[kind_key] = kind.locations(ids) if kind else {}

    platform_day: dict[str, int] = defaultdict(int)
    province_day: dict[tuple[str, str], int] = defaultdict(int)
    section_day: dict[tuple[str, str, str], int] = defaultdict(int)
    object_day: dict[tuple[str, int], int] = defaultdict(int)
    counters: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    dropped = 0
    for (kind_key, object_id, province), views in batch.counts.items():
        kind = registry.get_kind(kind_key)
        location = locations[kind_key].get(object_id)
        if kind is None or location is None:
            dropped += views  # the kind was unregistered or the object deleted since the view
            continue
        platform_day[kind.platform] += views
        province_day[(kind.platform, province)] += views
        if location.section_ref:
            section_day[(kind.platform, location.section_ref, location.column_ref)] += views
        if not kind.is_page:
            object_day[(kind_key, object_id)] += views
            if kind.counter_field:
                counters[kind_key][object_id] += views

    rows = {
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
                "platform": registry.get_kind(k).platform,
                "section_ref": locations[k][o].section_ref,
                "column_ref": locations[k][o].column_ref,
                "views": n,
            }
            for (k, o), n in object_day.items()
        ],
    }
    return rows, counters, dropped


def rollups_add(*, rows: Mapping[str, list[dict]], counters: Mapping[str, Mapping[int, int]]) -> int:
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
    written += upsert(
        ObjectDailyView, rows["object_day"], conflict=["day", "kind", "object_id"], merge={"views": "add"}
    )
    for kind_key, increments in counters.items():
        written += view_counters_add(kind=registry.get_kind(kind_key), increments=increments)
    return written


def view_counters_add(*, kind: registry.ContentKind, increments: Mapping[int, int]) -> int:
    """``view_count += n`` on each object, one UPDATE per 500 objects (in primary-key order)."""
    model, counter = kind.model_class, kind.counter_field
    ids = sorted(increments)
    updated = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        delta = Case(*(When(pk=pk, then=Value(increments[pk])) for pk in chunk), default=Value(0))
        updated += model._default_manager.filter(pk__in=chunk).update(**{counter: F(counter) + delta})
    return updated


def batch_apply(*, buffer, batch_id: str) -> tuple[bool, int]:
    """Add one buffer batch to the rollups exactly once.

    The batch id is inserted into ``ProcessedBatch`` in the transaction of the upserts: if this process dies
    before the commit, nothing of the batch is in the database and the batch stays pending in the buffer; if
    it dies after the commit, a replay finds the id and only discards the batch. Returns whether the batch
    was applied now (False: it had been applied before) and the views it added.
    """
    batch = buffer.read(batch_id)
    rows, counters, dropped = _rollup_rows(batch)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedBatch.objects.create(batch_id=batch_id, views=batch.views - dropped)
        except IntegrityError:
            applied = False
        else:
            applied = True
            rollups_add(rows=rows, counters=counters)
            if dropped:
                logger.info("stats batch %s: %d views of unknown content dropped", batch_id, dropped)
        if buffer.transactional:
            buffer.discard(batch_id)
        _test_pause("before_commit", batch_id)

    def after_commit() -> None:
        _test_pause("after_commit", batch_id)
        if not buffer.transactional:
            buffer.discard(batch_id)

    transaction.on_commit(after_commit)
    return applied, (batch.views - dropped) if applied else 0


def visitors_refresh(*, buffer, today: date) -> int:
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
    discarded) first. The cost grows with the distinct (object, province) keys of a batch, not its views.
    """
    buffer = get_buffer()
    result = FlushResult()
    buffer.drain()
    for batch_id in buffer.pending():
        applied, views = batch_apply(buffer=buffer, batch_id=batch_id)
        if applied:
            result.batches += 1
            result.views += views
        else:
            result.skipped_batches += 1
    result.rows = visitors_refresh(buffer=buffer, today=timezone.localdate())
    # Batch ids are kept long after any replay could come; the seed's markers are kept for good.
    ProcessedBatch.objects.filter(processed_at__lt=timezone.now() - PROCESSED_BATCH_RETENTION).exclude(
        batch_id__startswith="seed:"
    ).delete()
    return result
