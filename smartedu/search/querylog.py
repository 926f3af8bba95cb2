"""Where counted searches wait for the flush: Redis in production, a database table in the embedded mode.

What is counted is the normalised query and its number of results, per day: no user, no address, no
session. A client's repeat of the same query within ``SEARCH_COUNT_DEDUPE_SECONDS`` counts once (the key
that remembers it is a salted hash and expires), so reloading or paging cannot inflate the figures.

Production: one round trip per search (a Lua script: the de-duplication ``SET NX EX`` and the
``HINCRBY``s of the day's hash), no SQL. The drain renames the day hash to a batch key atomically; the flush
(services.search_counts_flush) records the batch id with its counts in one transaction.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Count, Q

from smartedu.search.models import BufferedSearch
from smartedu.search.text import MAX_QUERY_LENGTH, normalize

# A query that looks like a phone number, an ID number or an e-mail address is never recorded.
PERSONAL = re.compile(r"\d{6,}|\S+@\S+")


@dataclass
class QueryCount:
    searches: int = 0
    zero: int = 0
    last_result_count: int = 0


def loggable(query: str) -> str | None:
    """The query as recorded, or None if it is empty or may identify a person."""
    normalized = normalize(query)[:MAX_QUERY_LENGTH]
    if not normalized or PERSONAL.search(normalized.replace(" ", "")):
        return None
    return normalized


def dedupe_key(*, client: str, query: str, day: date) -> str:
    """A key that tells one client's repeated query apart without storing the client's address."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{day}|{client}|{query}".encode()).hexdigest()[:32]
    return f"search:seen:{digest}"


class Buffer(Protocol):
    def record(self, *, day: date, query: str, result_count: int, dedupe: str = "") -> bool: ...
    def drain(self) -> None: ...
    def pending(self) -> list[str]: ...
    def read(self, batch_id: str) -> dict[tuple[date, str], QueryCount]: ...
    def discard_in_transaction(self, batch_id: str) -> None: ...
    def discard(self, batch_id: str) -> None: ...


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisBuffer:
    PREFIX = "search:{counts}"
    RECORD_SCRIPT = """
    if ARGV[1] ~= '' then
        if not redis.call('SET', ARGV[1], '1', 'NX', 'EX', ARGV[2]) then return 0 end
    end
    redis.call('HINCRBY', KEYS[1], 'n|' .. ARGV[3], 1)
    if ARGV[4] == '0' then redis.call('HINCRBY', KEYS[1], 'z|' .. ARGV[3], 1) end
    redis.call('HSET', KEYS[1], 'r|' .. ARGV[3], ARGV[4])
    redis.call('SADD', KEYS[2], KEYS[1])
    return 1
    """
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
            url, decode_responses=True, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._record = self.redis.register_script(self.RECORD_SCRIPT)
        self._drain = self.redis.register_script(self.DRAIN_SCRIPT)
        self.days_key = f"{self.PREFIX}:days"
        self.batches_key = f"{self.PREFIX}:batches"

    def record(self, *, day: date, query: str, result_count: int, dedupe: str = "") -> bool:
        ttl = str(settings.SEARCH_COUNT_DEDUPE_SECONDS)
        key = f"{self.PREFIX}:day:{day.isoformat()}"
        return bool(self._record(keys=[key, self.days_key], args=[dedupe, ttl, query, str(result_count)]))

    def drain(self) -> None:
        for key in sorted(_str(k) for k in self.redis.smembers(self.days_key)):
            day = key.rsplit(":", 1)[1]
            batch = f"{self.PREFIX}:batch:{day}:{uuid.uuid4().hex}"
            self._drain(keys=[key, batch, self.days_key, self.batches_key])

    def pending(self) -> list[str]:
        return sorted(_str(k) for k in self.redis.smembers(self.batches_key))

    def read(self, batch_id: str) -> dict[tuple[date, str], QueryCount]:
        day = date.fromisoformat(batch_id.split(":")[-2])
        counts: dict[tuple[date, str], QueryCount] = {}
        for field, value in self.redis.hgetall(batch_id).items():
            prefix, query = _str(field).split("|", 1)
            count = counts.setdefault((day, query), QueryCount())
            if prefix == "n":
                count.searches = int(value)
            elif prefix == "z":
                count.zero = int(value)
            else:
                count.last_result_count = int(value)
        return counts

    def discard_in_transaction(self, batch_id: str) -> None:
        """Redis is not part of the database transaction: the batch goes in ``discard``."""

    def discard(self, batch_id: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(batch_id)
        pipe.srem(self.batches_key, batch_id)
        pipe.execute()


class DatabaseBuffer:
    """The embedded mode (no Redis): a row per counted search, drained into the daily table."""

    def record(self, *, day: date, query: str, result_count: int, dedupe: str = "") -> bool:
        if dedupe and not django_cache.add(dedupe, 1, settings.SEARCH_COUNT_DEDUPE_SECONDS):
            return False
        BufferedSearch.objects.create(day=day, query=query, result_count=result_count)
        return True

    def drain(self) -> None:
        BufferedSearch.objects.filter(batch_id="").update(batch_id=uuid.uuid4().hex)

    def pending(self) -> list[str]:
        return sorted(set(BufferedSearch.objects.exclude(batch_id="").values_list("batch_id", flat=True)))

    def read(self, batch_id: str) -> dict[tuple[date, str], QueryCount]:
        rows = (
            BufferedSearch.objects.filter(batch_id=batch_id)
            .values("day", "query")
            .annotate(searches=Count("pk"), zero=Count("pk", filter=Q(result_count=0)))
        )
        counts = {(r["day"], r["query"]): QueryCount(r["searches"], r["zero"]) for r in rows}
        for day, query, result_count in (
            BufferedSearch.objects.filter(batch_id=batch_id)
            .order_by("pk")
            .values_list("day", "query", "result_count")
        ):
            counts[(day, query)].last_result_count = result_count
        return counts

    def discard_in_transaction(self, batch_id: str) -> None:
        BufferedSearch.objects.filter(batch_id=batch_id).delete()

    def discard(self, batch_id: str) -> None:
        """Deleted in the flush's transaction already."""


@cache
def _redis_buffer(url: str) -> RedisBuffer:
    return RedisBuffer(url)


def buffer() -> Buffer:
    url = settings.REDIS_URL
    return _redis_buffer(url) if url else DatabaseBuffer()
