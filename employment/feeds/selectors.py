"""Reads of the feeds: the export of open verified jobs, paged by keyset in posting order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from employment.feeds import access
from employment.feeds.models import FeedImport
from employment.models import Job

EXPORT_PAGE = 100
EXPORT_MAX_PAGE = 500
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class ExportPage:
    jobs: list[Job]
    cursor: str | None  # for the next page, None at the end


def encode_cursor(job: Job) -> str:
    return f"{(job.posted_at - EPOCH) // MICROSECOND}-{job.pk}"  # exact: integer microseconds


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    stamp, _dash, pk = cursor.partition("-")
    if not (stamp.isdigit() and pk.isdigit()) or len(stamp) > 20 or len(pk) > 19:
        return None
    try:
        moment = EPOCH + int(stamp) * MICROSECOND
    except (OverflowError, OSError, ValueError):
        return None
    return moment, int(pk)


def export_jobs(*, since: datetime | None, cursor: tuple[datetime, int] | None, size: int) -> ExportPage:
    """Open, unexpired jobs of verified employers (``Job.objects.visible()``), oldest first, posted at or
    after ``since``; the keyset ``(posted_at, id)`` continues where the previous page stopped."""
    jobs = Job.objects.visible().select_related("employer", "industry", "province")
    if since is not None:
        jobs = jobs.filter(posted_at__gte=since)
    if cursor is not None:
        moment, pk = cursor
        jobs = jobs.filter(Q(posted_at__gt=moment) | Q(posted_at=moment, pk__gt=pk))
    rows = list(jobs.order_by("posted_at", "pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return ExportPage(jobs=rows, cursor=encode_cursor(rows[-1]) if more and rows else None)


def feed_imports(*, user: object) -> QuerySet[FeedImport]:
    return access.feed_imports_for(user).defer("payload").select_related("started_by")
