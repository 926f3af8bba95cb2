"""Study time from heartbeats: buffered like view counts, never one SQL write per heartbeat in production.

The item page sends a heartbeat every ``HEARTBEAT_SECONDS`` while it is visible. Each heartbeat adds that
many seconds to one field of a Redis hash (``HINCRBY``, keyed by student, course, item and day); in the
embedded mode (no Redis) it is one row of ``StudyHeartbeat``, like the view buffer's table.
``study_flush`` (Celery beat, every minute, and before the rates are computed) folds the buffer into
``StudyDay``:

* Redis: the open hash is renamed to a batch key (atomic); each batch is applied in one transaction that also
  records its id in ``StudyBatch``; the key is deleted after the commit. A crash after the commit leaves a
  batch whose id is recorded: the next flush only deletes it. Nothing is counted twice or lost.
* Embedded: the rows are read, folded and deleted in one transaction.

A student's second heartbeat for the same item within ``HEARTBEAT_SECONDS - 5`` seconds counts nothing.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from datetime import date, datetime
from functools import lru_cache
from typing import cast

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from smartedu.accounts.models import User
from vocational.models import Course, Item, StudyBatch, StudyDay, StudyHeartbeat

HEARTBEAT_SECONDS = 30
PREFIX = "vocational:study"
OPEN_KEY = f"{PREFIX}:open"

Key = tuple[int, int, int, date]


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    timeout = settings.REDIS_TIMEOUT_SECONDS
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout
    )


def _redis() -> redis.Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    return _client(url) if url else None


def _field(key: Key) -> str:
    student, course, item, day = key
    return f"{student}:{course}:{item}:{day.isoformat()}"


def _parse(field: str) -> Key:
    student, course, item, day = field.split(":")
    return int(student), int(course), int(item), date.fromisoformat(day)


def heartbeat_record(*, student_id: int, item: Item, now: datetime | None = None) -> bool:
    """Count one heartbeat of ``student_id`` on ``item``; False when it came too soon after the last one."""
    now = now or timezone.now()
    if not cache.add(f"{PREFIX}:seen:{student_id}:{item.pk}", 1, timeout=HEARTBEAT_SECONDS - 5):
        return False
    key: Key = (student_id, item.unit.course_id, item.pk, timezone.localdate(now))
    client = _redis()
    if client is not None:
        client.hincrby(OPEN_KEY, _field(key), HEARTBEAT_SECONDS)
    else:
        StudyHeartbeat.objects.create(
            student_id=key[0], course_id=key[1], item_id=key[2], day=key[3], seconds=HEARTBEAT_SECONDS
        )
    return True


def _apply(counts: Counter[Key]) -> int:
    """Add the counts to ``StudyDay``; returns how many keys were applied."""
    applied = 0
    existing_items = set(Item.objects.filter(pk__in={k[2] for k in counts}).values_list("pk", flat=True))
    # A key whose course or student is gone (deleted since the heartbeat) is dropped, never a poison batch.
    courses = set(Course.objects.filter(pk__in={k[1] for k in counts}).values_list("pk", flat=True))
    students = set(User.objects.filter(pk__in={k[0] for k in counts}).values_list("pk", flat=True))
    for (student, course, item, day), seconds in sorted(counts.items()):
        if course not in courses or student not in students:
            continue
        applied += 1
        item_id = item if item in existing_items else None
        same = Q(item_id=item_id) if item_id is not None else Q(item__isnull=True)
        updated = StudyDay.objects.filter(same, student_id=student, course_id=course, day=day).update(
            seconds=F("seconds") + seconds
        )
        if not updated:
            StudyDay.objects.create(
                student_id=student, course_id=course, item_id=item_id, day=day, seconds=seconds
            )
    return applied


def study_flush() -> int:
    """Fold every buffered heartbeat into ``StudyDay``; returns the number of (student, item, day) keys."""
    client = _redis()
    if client is None:
        with transaction.atomic():
            rows = list(
                StudyHeartbeat.objects.select_for_update().values_list(
                    "pk", "student_id", "course_id", "item_id", "day", "seconds"
                )
            )
            counts: Counter[Key] = Counter()
            for _pk, student, course, item, day, seconds in rows:
                counts[(student, course, item, day)] += seconds
            applied = _apply(counts)
            StudyHeartbeat.objects.filter(pk__in=[r[0] for r in rows]).delete()
        return applied
    batch_key = f"{PREFIX}:batch:{uuid.uuid4().hex}"
    # No open hash (nothing buffered since the last flush) is a ResponseError.
    with contextlib.suppress(redis.ResponseError):
        client.rename(OPEN_KEY, batch_key)
    applied = 0
    for key in sorted(client.scan_iter(f"{PREFIX}:batch:*")):
        batch_id = key.rsplit(":", 1)[-1]
        raw = cast(dict[str, str], client.hgetall(key))
        with transaction.atomic():
            if not StudyBatch.objects.filter(batch_id=batch_id).exists():
                counts = Counter({_parse(f): int(v) for f, v in raw.items()})
                applied += _apply(counts)
                StudyBatch.objects.create(batch_id=batch_id)
        client.delete(key)
    return applied


@transaction.atomic
def study_day_add(*, student_id: int, item: Item, day: date, seconds: int) -> StudyDay:
    """Add study time directly (imports and demo data; pages go through the heartbeat buffer)."""
    counts: Counter[Key] = Counter({(student_id, item.unit.course_id, item.pk, day): seconds})
    _apply(counts)
    return StudyDay.objects.get(
        student_id=student_id, course_id=item.unit.course_id, item_id=item.pk, day=day
    )
