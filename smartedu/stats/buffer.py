"""Where counted views wait for the flush: Redis in production, database tables in the embedded mode.

Both backends offer the same operations, so the beacon and the flush (``services``) run one code path:

* ``record`` — the beacon's whole write, in Redis ONE round trip (one Lua script, no SQL): the rate limit
  of the client, the de-duplication of each (visitor, object) for ``STATS_DEDUPE_SECONDS``, HINCRBY into the
  hash of the current time bucket (capped at ``STATS_BUCKET_MAX_KEYS`` distinct keys, the excess dropped
  and counted in the bucket's ``!dropped`` field), and PFADD of the visitor into the day's HyperLogLog.
* ``drain`` — turn every bucket into a batch. A batch's id is derived from its bucket: the bucket's start
  and the generation written into the bucket with its first view (``!gen``, a random nonce; a counter
  would be handed out again by a Redis restored from an older snapshot). A bucket that comes back from a
  replica or a snapshot after it was applied therefore has the same id, and ``ProcessedBatch`` recognises
  it (the database buffer: the bucket's start and its first row's id).
* ``pending`` — every batch not yet discarded, including those of a flush that crashed.
* ``read`` — a batch's counts ``{(kind, object id, province code): views}``, its bucket and the views dropped
  over the key cap (the database buffer applies the cap here, keeping the keys that came first).
* ``discard`` — forget a batch, after its counts were committed (Redis) or in the same transaction (database).
* ``requeue`` — put a batch that was set aside back, under its own id.

Redis clients time out after ``REDIS_TIMEOUT_SECONDS`` (≤ 1 s) and never retry a command that timed out
(the script may have run: a retry could count twice); a refused or dropped connection is retried once.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from smartedu.stats.models import BufferedView, BufferedVisitor, DailySalt, SeenView

CountKey = tuple[str, int, str]
DROPPED_FIELD = "!dropped"
GENERATION_FIELD = "!gen"
SALT_DAYS_KEPT = 2


class BufferUnavailable(Exception):
    """The buffer did not answer in time (or at all): the beacon answers 503, the page is unaffected."""


@dataclass(frozen=True)
class CountedView:
    kind: str
    object_id: int
    province_code: str
    platform: str

    @property
    def item(self) -> str:
        return f"{self.kind}|{self.object_id}"

    @property
    def field(self) -> str:
        return f"{self.kind}|{self.object_id}|{self.province_code}"


@dataclass(frozen=True)
class RateLimit:
    """``limit`` requests per ``window`` seconds (a fixed window)."""

    limit: int
    window: int


@dataclass(frozen=True)
class RecordOutcome:
    allowed: bool = True
    retry_after: int = 0
    counted: int = 0
    duplicates: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class Batch:
    batch_id: str
    bucket: datetime
    counts: dict[CountKey, int]
    dropped_over_cap: int = 0

    @property
    def views(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class RecordRequest:
    """Everything ``record`` needs; ``views`` holds at most one view per object (repeats already merged)."""

    views: Sequence[CountedView]
    visitor: str
    when: datetime
    day: date
    rate_key: str
    rate: RateLimit | None
    dedupe_seconds: int
    max_keys: int
    platforms: Sequence[str] = field(default_factory=tuple)


class Buffer(Protocol):
    transactional: bool

    def record(self, request: RecordRequest) -> RecordOutcome: ...
    def drain(self) -> list[str]: ...
    def pending(self) -> list[str]: ...
    def read(self, batch_id: str) -> Batch: ...
    def discard(self, batch_id: str) -> None: ...
    def requeue(self, batch_id: str, counts: Mapping[CountKey, int]) -> None: ...
    def visitors(self, *, days: Iterable[date], platforms: Iterable[str]) -> dict[tuple[date, str], int]: ...
    def forget_visitors_before(self, day: date) -> None: ...
    def salt(self, day: date) -> str: ...
    def eviction_policy(self) -> str | None: ...


def bucket_start(when: datetime) -> int:
    """The epoch second at which ``when``'s bucket starts."""
    seconds = settings.STATS_BUCKET_SECONDS
    return int(when.timestamp()) // seconds * seconds


def _bucket_of(batch_id: str) -> datetime:
    return datetime.fromtimestamp(int(batch_id.split("-", 1)[0]), tz=UTC)


def _field_key(text: str) -> CountKey:
    kind, object_id, province = text.split("|", 2)
    return kind, int(object_id), province


def _text(value: bytes | str) -> str:
    """The client decodes responses; its type hints allow bytes all the same."""
    return value.decode() if isinstance(value, bytes) else value


def _new_salt() -> str:
    return secrets.token_hex(32)


def _rate_window(rate: RateLimit, now: float) -> tuple[int, int]:
    """The index of the current window and the seconds until it ends."""
    index = int(now // rate.window)
    return index, max(1, int((index + 1) * rate.window - now + 0.999))


class RedisBuffer:
    """Buckets are hashes ``stats:{views}:bucket:<epoch>`` of ``"kind|id|province" -> views``.

    Every key shares the hash tag ``{views}`` so that each script's keys live in one slot of a Redis Cluster.
    """

    transactional = False
    PREFIX = "stats:{views}"
    VISITOR_TTL = 3 * 86400

    # KEYS: rate, bucket, bucket index, n de-duplication keys, m HyperLogLogs.
    # ARGV: limit, window, dedupe seconds, max keys, generation, visitor, n, m, HLL ttl, n fields.
    # Returns {allowed (1/0), retry after or counted, duplicates, dropped}.
    RECORD_SCRIPT = """
    local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
    if limit > 0 then
        local used = redis.call('INCR', KEYS[1])
        if used == 1 then redis.call('EXPIRE', KEYS[1], window) end
        if used > limit then return {0, 0, 0, 0} end
    end
    local dedupe, max_keys = tonumber(ARGV[3]), tonumber(ARGV[4])
    local n, m = tonumber(ARGV[7]), tonumber(ARGV[8])
    local bucket = KEYS[2]
    local counted, duplicates, dropped, started = 0, 0, 0, false
    for i = 1, n do
        local fresh = true
        if dedupe > 0 then
            fresh = redis.call('SET', KEYS[3 + i], '1', 'NX', 'EX', dedupe)
        end
        if not fresh then
            duplicates = duplicates + 1
        else
            if not started then
                redis.call('HSETNX', bucket, '!gen', ARGV[5])
                redis.call('SADD', KEYS[3], bucket)
                started = true
            end
            local field = ARGV[9 + i]
            local full = false
            if redis.call('HEXISTS', bucket, field) == 0 then
                local keys = redis.call('HLEN', bucket) - 1 - redis.call('HEXISTS', bucket, '!dropped')
                full = keys >= max_keys
            end
            if full then
                redis.call('HINCRBY', bucket, '!dropped', 1)
                dropped = dropped + 1
            else
                redis.call('HINCRBY', bucket, field, 1)
                counted = counted + 1
            end
        end
    end
    for j = 1, m do
        redis.call('PFADD', KEYS[3 + n + j], ARGV[6])
        redis.call('EXPIRE', KEYS[3 + n + j], tonumber(ARGV[9]))
    end
    return {1, counted, duplicates, dropped}
    """

    # Atomically, if the bucket still has the generation read before: move it to the batch key and list the
    # batch as pending; forget the bucket in the index either way. A HINCRBY that comes after this creates
    # the bucket anew, with a new generation, and re-adds it to the index, so no view is ever stranded.
    DRAIN_SCRIPT = """
    local moved = 0
    if redis.call('HGET', KEYS[1], '!gen') == ARGV[1] then
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('SADD', KEYS[4], KEYS[2])
        moved = 1
    elseif redis.call('EXISTS', KEYS[1]) == 1 then
        return -1
    end
    redis.call('SREM', KEYS[3], KEYS[1])
    return moved
    """

    def __init__(self, url: str) -> None:
        timeout = settings.REDIS_TIMEOUT_SECONDS
        self.redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            # A refused or dropped connection (e.g. after a Redis restart) is retried once; a timeout never
            # is, since the script may have run and a second run would count twice.
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        )
        self._record = self.redis.register_script(self.RECORD_SCRIPT)
        self._drain = self.redis.register_script(self.DRAIN_SCRIPT)
        self.buckets_key = f"{self.PREFIX}:buckets"
        self.batches_key = f"{self.PREFIX}:batches"

    def _bucket_key(self, bucket: int) -> str:
        return f"{self.PREFIX}:bucket:{bucket}"

    def _batch_key(self, batch_id: str) -> str:
        return f"{self.PREFIX}:batch:{batch_id}"

    def _visitor_key(self, day: date, platform: str) -> str:
        return f"{self.PREFIX}:visitors:{day.isoformat()}:{platform}"

    def _seen_key(self, visitor: str, item: str) -> str:
        return f"{self.PREFIX}:seen:{visitor}:{item}"

    def _rate_key(self, rate_key: str, index: int) -> str:
        return f"{self.PREFIX}:rate:{rate_key}:{index}"

    def record(self, request: RecordRequest) -> RecordOutcome:
        now = request.when.timestamp()
        limit, window, retry_after, rate_key = 0, 1, 0, f"{self.PREFIX}:rate:none"
        if request.rate is not None:
            index, retry_after = _rate_window(request.rate, now)
            limit, window = request.rate.limit, request.rate.window
            rate_key = self._rate_key(request.rate_key, index)
        views = request.views
        keys = [
            rate_key,
            self._bucket_key(bucket_start(request.when)),
            self.buckets_key,
            *(self._seen_key(request.visitor, v.item) for v in views),
            *(self._visitor_key(request.day, p) for p in request.platforms),
        ]
        args: list[Any] = [
            limit,
            window,
            request.dedupe_seconds,
            request.max_keys,
            secrets.token_hex(8),
            request.visitor,
            len(views),
            len(request.platforms),
            self.VISITOR_TTL,
            *(v.field for v in views),
        ]
        try:
            allowed, counted, duplicates, dropped = self._run_record(keys, args)
        except redis.RedisError as exc:
            raise BufferUnavailable(str(exc)) from exc
        if not allowed:
            return RecordOutcome(allowed=False, retry_after=retry_after)
        return RecordOutcome(counted=counted, duplicates=duplicates, dropped=dropped)

    def _run_record(self, keys: list[str], args: list[Any]) -> Any:
        """The record script's one round trip, straight on a pooled connection.

        redis-py's command layer (retry wrapper, observability hooks, argument checks) costs about as much
        CPU as the call itself, on the most frequent request of the site. The same rules as the client's:
        a refused or dropped connection is retried once; a timeout never is (the script may have run, and
        a second run would count twice); a Redis that lost its scripts gets the script loaded again.
        """
        pool = self.redis.connection_pool
        for attempt in (1, 2):
            connection = pool.get_connection()
            try:
                connection.send_command("EVALSHA", self._record.sha, len(keys), *keys, *args)
                return connection.read_response()
            except redis.exceptions.NoScriptError:
                return self._record(keys=keys, args=args)  # loads the script, then runs it once
            except redis.TimeoutError:
                connection.disconnect()  # its answer may still come: never reuse the connection
                raise
            except redis.ConnectionError:
                connection.disconnect()
                if attempt == 2:
                    raise
            finally:
                pool.release(connection)
        raise AssertionError("unreachable")

    def drain(self) -> list[str]:
        batch_ids = []
        for key in sorted(_text(k) for k in self.redis.smembers(self.buckets_key)):
            generation = self.redis.hget(key, GENERATION_FIELD)
            if generation is None:
                if not self.redis.exists(key):  # drained already; only the index still named it
                    self.redis.srem(self.buckets_key, key)
                    continue
                # A bucket written before buckets had a generation: give it one now.
                self.redis.hsetnx(key, GENERATION_FIELD, secrets.token_hex(8))
                generation = self.redis.hget(key, GENERATION_FIELD) or ""
            generation = _text(generation)
            batch_id = f"{key.rsplit(':', 1)[1]}-{generation}"
            moved = self._drain(
                keys=[key, self._batch_key(batch_id), self.buckets_key, self.batches_key], args=[generation]
            )
            if moved == 1:
                batch_ids.append(batch_id)
        return batch_ids

    def pending(self) -> list[str]:
        prefix = f"{self.PREFIX}:batch:"
        return sorted(_text(key).removeprefix(prefix) for key in self.redis.smembers(self.batches_key))

    def read(self, batch_id: str) -> Batch:
        counts: dict[CountKey, int] = {}
        dropped = 0
        for raw_name, raw_value in self.redis.hgetall(self._batch_key(batch_id)).items():
            name, value = _text(raw_name), _text(raw_value)
            if name == DROPPED_FIELD:
                dropped += int(value)
            elif not name.startswith("!"):
                try:
                    counts[_field_key(name)] = int(value)
                except ValueError:  # not written by ``record``: dropped rather than failing the batch
                    dropped += int(value) if value.isdigit() else 0
        return Batch(batch_id=batch_id, bucket=_bucket_of(batch_id), counts=counts, dropped_over_cap=dropped)

    def discard(self, batch_id: str) -> None:
        key = self._batch_key(batch_id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key)
        pipe.srem(self.batches_key, key)
        pipe.execute()

    def requeue(self, batch_id: str, counts: Mapping[CountKey, int]) -> None:
        key = self._batch_key(batch_id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key)
        if counts:
            pipe.hset(key, mapping={f"{k}|{o}|{p}": n for (k, o, p), n in counts.items()})
            pipe.sadd(self.batches_key, key)
        pipe.execute()

    def visitors(self, *, days: Iterable[date], platforms: Iterable[str]) -> dict[tuple[date, str], int]:
        pairs = [(d, p) for d in days for p in platforms]
        pipe = self.redis.pipeline(transaction=False)
        for d, p in pairs:
            pipe.pfcount(self._visitor_key(d, p))
        return {pair: n for pair, n in zip(pairs, pipe.execute(), strict=True) if n}

    def forget_visitors_before(self, day: date) -> None:
        """Redis expires the HyperLogLogs by itself."""

    def salt(self, day: date) -> str:
        key = f"{self.PREFIX}:salt:{day.isoformat()}"
        try:
            pipe = self.redis.pipeline(transaction=True)
            pipe.set(key, _new_salt(), nx=True, ex=SALT_DAYS_KEPT * 86400)
            pipe.get(key)
            return str(pipe.execute()[1])
        except redis.RedisError as exc:
            raise BufferUnavailable(str(exc)) from exc

    def eviction_policy(self) -> str | None:
        return str(self.redis.info("memory").get("maxmemory_policy", "")) or None


class DatabaseBuffer:
    """The embedded mode's buffer: a row per view in ``BufferedView`` (no Redis needed).

    The rate limit uses the cache (per process with the local-memory cache); de-duplication uses
    ``SeenView`` rows, so that it holds across processes.
    """

    transactional = True

    def _rate_allowed(self, request: RecordRequest) -> tuple[bool, int]:
        if request.rate is None:
            return True, 0
        index, retry_after = _rate_window(request.rate, request.when.timestamp())
        key = f"stats:rate:{request.rate_key}:{index}"
        cache.add(key, 0, request.rate.window + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, request.rate.window + 1)
            used = 1
        return used <= request.rate.limit, retry_after

    def _fresh(self, request: RecordRequest) -> list[CountedView]:
        """The views whose (visitor, object) was not seen in the last ``dedupe_seconds`` (one statement)."""
        if request.dedupe_seconds <= 0 or not request.views:
            return list(request.views)
        table = connection.ops.quote_name(SeenView._meta.db_table)
        prepare = SeenView._meta.get_field("expires_at").get_db_prep_save
        expires = prepare(request.when + timedelta(seconds=request.dedupe_seconds), connection)
        params: list[Any] = []
        for view in request.views:
            params += [request.visitor, view.item, expires]
        values = ", ".join(["(%s, %s, %s)"] * len(request.views))
        # Insert, or take over a row that has expired; RETURNING names the items that were (re)claimed.
        sql = (
            f"INSERT INTO {table} (visitor, item, expires_at) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (visitor, item) DO UPDATE SET expires_at = excluded.expires_at "
            f"WHERE {table}.expires_at <= %s RETURNING item"
        )
        params.append(prepare(request.when, connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            claimed = {row[0] for row in cursor.fetchall()}
        return [v for v in request.views if v.item in claimed]

    def record(self, request: RecordRequest) -> RecordOutcome:
        try:
            allowed, retry_after = self._rate_allowed(request)
            if not allowed:
                return RecordOutcome(allowed=False, retry_after=retry_after)
            if not request.views:
                return RecordOutcome()
            with transaction.atomic():
                fresh = self._fresh(request)
                bucket = datetime.fromtimestamp(bucket_start(request.when), tz=UTC)
                BufferedView.objects.bulk_create(
                    [
                        BufferedView(
                            bucket=bucket, kind=v.kind, object_id=v.object_id, province_code=v.province_code
                        )
                        for v in fresh
                    ]
                )
                BufferedVisitor.objects.bulk_create(
                    [
                        BufferedVisitor(day=request.day, platform=p, visitor=request.visitor)
                        for p in request.platforms
                    ],
                    ignore_conflicts=True,
                )
        except DatabaseError as exc:
            raise BufferUnavailable(str(exc)) from exc
        return RecordOutcome(counted=len(fresh), duplicates=len(request.views) - len(fresh))

    def drain(self) -> list[str]:
        batch_ids = []
        waiting = BufferedView.objects.filter(batch_id="")
        firsts = waiting.values("bucket").annotate(first=Min("pk")).order_by("bucket")
        for row in firsts:
            batch_id = f"{int(row['bucket'].timestamp())}-db{row['first']}"
            if waiting.filter(bucket=row["bucket"]).update(batch_id=batch_id):
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
            .annotate(views=Count("pk"), first=Min("pk"))
            .order_by("first")
        )
        counts: dict[CountKey, int] = {}
        dropped = 0
        cap = settings.STATS_BUCKET_MAX_KEYS
        for kind, object_id, province, views, _first in rows:
            if len(counts) < cap:
                counts[(kind, object_id, province)] = views
            else:
                dropped += views
        return Batch(batch_id=batch_id, bucket=_bucket_of(batch_id), counts=counts, dropped_over_cap=dropped)

    def discard(self, batch_id: str) -> None:
        BufferedView.objects.filter(batch_id=batch_id).delete()

    def requeue(self, batch_id: str, counts: Mapping[CountKey, int]) -> None:
        bucket = _bucket_of(batch_id)
        with transaction.atomic():
            self.discard(batch_id)
            BufferedView.objects.bulk_create(
                [
                    BufferedView(
                        bucket=bucket,
                        kind=kind,
                        object_id=object_id,
                        province_code=province,
                        batch_id=batch_id,
                    )
                    for (kind, object_id, province), views in counts.items()
                    for _ in range(views)
                ],
                batch_size=1000,
            )

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
        SeenView.objects.filter(expires_at__lt=timezone.now()).delete()

    def salt(self, day: date) -> str:
        try:
            with transaction.atomic():
                DailySalt.objects.filter(day__lt=day - timedelta(days=SALT_DAYS_KEPT - 1)).delete()
                row, _created = DailySalt.objects.get_or_create(day=day, defaults={"salt": _new_salt()})
        except DatabaseError as exc:
            raise BufferUnavailable(str(exc)) from exc
        return row.salt

    def eviction_policy(self) -> str | None:
        return None


@lru_cache(maxsize=4)
def _redis_buffer(url: str, timeout: float) -> RedisBuffer:
    return RedisBuffer(url)


def get_buffer() -> RedisBuffer | DatabaseBuffer:
    """Redis when ``STATS_REDIS_URL`` is set (production), else the database. One client per process."""
    url = settings.STATS_REDIS_URL
    return _redis_buffer(url, settings.REDIS_TIMEOUT_SECONDS) if url else DatabaseBuffer()
