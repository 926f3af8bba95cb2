"""Where counted views wait for the flush: Redis in production, a database table in the embedded mode.

Both backends offer the same five operations, so the flush (``services.view_counts_flush``) runs one code
path in both modes:

* ``record`` — count views; in Redis one pipelined MULTI/EXEC round trip of HINCRBY into the hash of the
  current time bucket, SADD of that bucket to the bucket index, and PFADD of the visitor into the
  HyperLogLog of the day and sub-platform: O(1) operations per view and no SQL.
* ``drain`` — turn every bucket into a batch with a fresh id (Redis: an atomic RENAME in a script; the
  database: stamping the waiting rows with the batch id). Views counted during a drain land in a new bucket.
* ``pending`` — every batch not yet discarded, including those of a flush that crashed.
* ``read`` — a batch's counts ``{(kind, object id, province code): views}`` and its bucket's start.
* ``discard`` — forget a batch, after its counts were committed (Redis) or in the same transaction (database).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import redis
from django.conf import settings
from django.db.models import Count
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from smartedu.stats.models import BufferedView, BufferedVisitor

CountKey = tuple[str, int, str]


@dataclass(frozen=True)
class CountedView:
    kind: str
    object_id: int
    province_code: str
    platform: str


@dataclass(frozen=True)
class Batch:
    batch_id: str
    bucket: datetime
    counts: dict[CountKey, int]

    @property
    def views(self) -> int:
        return sum(self.counts.values())


def bucket_start(when: datetime) -> int:
    """The epoch second at which ``when``'s bucket starts."""
    seconds = settings.STATS_BUCKET_SECONDS
    return int(when.timestamp()) // seconds * seconds


def _new_batch_id(bucket: int) -> str:
    return f"{bucket}-{uuid.uuid4().hex}"


def _bucket_of(batch_id: str) -> datetime:
    return datetime.fromtimestamp(int(batch_id.split("-", 1)[0]), tz=UTC)


class RedisBuffer:
    """Buckets are hashes ``stats:{views}:bucket:<epoch>`` of ``"kind|id|province" -> views``.

    Every key shares the hash tag ``{views}`` so that the drain script also runs on Redis Cluster.
    """

    transactional = False
    PREFIX = "stats:{views}"
    VISITOR_TTL = 3 * 86400

    # Atomically: move the bucket (if it still exists) to the batch key and list the batch as pending;
    # forget the bucket in the index either way. A HINCRBY that comes after this creates the bucket anew and
    # re-adds it to the index in its own MULTI, so no view is ever stranded.
    DRAIN_SCRIPT = """
    local moved = redis.call('EXISTS', KEYS[1])
    if moved == 1 then
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('SADD', KEYS[4], KEYS[2])
    end
    redis.call('SREM', KEYS[3], KEYS[1])
    return moved
    """

    def __init__(self, url: str) -> None:
        self.redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=5),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
            health_check_interval=30,
            socket_timeout=10,
        )
        self._drain = self.redis.register_script(self.DRAIN_SCRIPT)
        self.buckets_key = f"{self.PREFIX}:buckets"
        self.batches_key = f"{self.PREFIX}:batches"

    def _bucket_key(self, bucket: int) -> str:
        return f"{self.PREFIX}:bucket:{bucket}"

    def _batch_key(self, batch_id: str) -> str:
        return f"{self.PREFIX}:batch:{batch_id}"

    def _visitor_key(self, day: date, platform: str) -> str:
        return f"{self.PREFIX}:visitors:{day.isoformat()}:{platform}"

    def record(self, *, views: Sequence[CountedView], visitor: str, when: datetime, day: date) -> None:
        if not views:
            return
        key = self._bucket_key(bucket_start(when))
        pipe = self.redis.pipeline(transaction=True)
        for view in views:
            pipe.hincrby(key, f"{view.kind}|{view.object_id}|{view.province_code}", 1)
        pipe.sadd(self.buckets_key, key)
        for platform in sorted({v.platform for v in views}):
            visitor_key = self._visitor_key(day, platform)
            pipe.pfadd(visitor_key, visitor)
            pipe.expire(visitor_key, self.VISITOR_TTL)
        pipe.execute()

    def drain(self) -> list[str]:
        batch_ids = []
        for key in sorted(self.redis.smembers(self.buckets_key)):
            batch_id = _new_batch_id(int(key.rsplit(":", 1)[1]))
            if self._drain(keys=[key, self._batch_key(batch_id), self.buckets_key, self.batches_key]):
                batch_ids.append(batch_id)
        return batch_ids

    def pending(self) -> list[str]:
        prefix = f"{self.PREFIX}:batch:"
        return sorted(key.removeprefix(prefix) for key in self.redis.smembers(self.batches_key))

    def read(self, batch_id: str) -> Batch:
        counts: dict[CountKey, int] = {}
        for field, value in self.redis.hgetall(self._batch_key(batch_id)).items():
            kind, object_id, province = field.split("|", 2)
            counts[(kind, int(object_id), province)] = int(value)
        return Batch(batch_id=batch_id, bucket=_bucket_of(batch_id), counts=counts)

    def discard(self, batch_id: str) -> None:
        key = self._batch_key(batch_id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key)
        pipe.srem(self.batches_key, key)
        pipe.execute()

    def visitors(self, *, days: Iterable[date], platforms: Iterable[str]) -> dict[tuple[date, str], int]:
        pairs = [(d, p) for d in days for p in platforms]
        pipe = self.redis.pipeline(transaction=False)
        for d, p in pairs:
            pipe.pfcount(self._visitor_key(d, p))
        return {pair: n for pair, n in zip(pairs, pipe.execute(), strict=True) if n}

    def forget_visitors_before(self, day: date) -> None:
        """Redis expires the HyperLogLogs by itself."""


class DatabaseBuffer:
    """The embedded mode's buffer: a row per view in ``BufferedView`` (no Redis needed)."""

    transactional = True

    def record(self, *, views: Sequence[CountedView], visitor: str, when: datetime, day: date) -> None:
        if not views:
            return
        bucket = datetime.fromtimestamp(bucket_start(when), tz=UTC)
        BufferedView.objects.bulk_create(
            [
                BufferedView(bucket=bucket, kind=v.kind, object_id=v.object_id, province_code=v.province_code)
                for v in views
            ]
        )
        BufferedVisitor.objects.bulk_create(
            [
                BufferedVisitor(day=day, platform=p, visitor=visitor)
                for p in sorted({v.platform for v in views})
            ],
            ignore_conflicts=True,
        )

    def drain(self) -> list[str]:
        batch_ids = []
        waiting = BufferedView.objects.filter(batch_id="")
        for bucket in sorted(set(waiting.values_list("bucket", flat=True))):
            batch_id = _new_batch_id(int(bucket.timestamp()))
            if waiting.filter(bucket=bucket).update(batch_id=batch_id):
                batch_ids.append(batch_id)
        return batch_ids

    def pending(self) -> list[str]:
        return sorted(
            set(BufferedView.objects.exclude(batch_id="").values_list("batch_id", flat=True).distinct())
        )

    def read(self, batch_id: str) -> Batch:
        rows = (
            BufferedView.objects.filter(batch_id=batch_id)
            .values_list("kind", "object_id", "province_code")
            .annotate(views=Count("pk"))
            .order_by()
        )
        counts = {(kind, object_id, province): views for kind, object_id, province, views in rows}
        return Batch(batch_id=batch_id, bucket=_bucket_of(batch_id), counts=counts)

    def discard(self, batch_id: str) -> None:
        BufferedView.objects.filter(batch_id=batch_id).delete()

    def visitors(self, *, days: Iterable[date], platforms: Iterable[str]) -> dict[tuple[date, str], int]:
        rows = (
            BufferedVisitor.objects.filter(day__in=list(days), platform__in=list(platforms))
            .values_list("day", "platform")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return Counter({(d, p): n for d, p, n in rows})

    def forget_visitors_before(self, day: date) -> None:
        BufferedVisitor.objects.filter(day__lt=day).delete()


@lru_cache(maxsize=4)
def _redis_buffer(url: str) -> RedisBuffer:
    return RedisBuffer(url)


def get_buffer() -> RedisBuffer | DatabaseBuffer:
    """Redis when ``STATS_REDIS_URL`` is set (production), else the database."""
    url = settings.STATS_REDIS_URL
    return _redis_buffer(url) if url else DatabaseBuffer()
