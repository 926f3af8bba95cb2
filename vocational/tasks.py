"""Celery tasks of the vocational platform: thin, idempotent, each calling one service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.utils import timezone

from vocational import metrics, services, study
from vocational.models import Course, CourseKind


@shared_task(bind=True, max_retries=3, default_retry_delay=10, acks_late=True)
def flush_study_task(self: Any) -> int:
    """Every minute: fold the buffered study heartbeats into study days (replay-safe)."""
    return study.study_flush()


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def compute_course_metrics_task(self: Any, course_id: int, start: str, end: str) -> int:
    from datetime import date

    course = Course.objects.filter(pk=course_id, kind=CourseKind.PERSONAL).first()
    if course is None:
        return 0
    metrics.course_metrics_refresh(
        course=course, start=date.fromisoformat(start), end=date.fromisoformat(end)
    )
    return 1


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def refresh_metrics_task(self: Any) -> int:
    """Nightly: the last 7 and 30 days of every personalised course published to a class."""
    end = timezone.localdate() - timedelta(days=1)
    ids = list(
        Course.objects.filter(kind=CourseKind.PERSONAL, publications__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in ids:
        for days in (7, 30):
            compute_course_metrics_task.delay(
                pk, (end - timedelta(days=days - 1)).isoformat(), end.isoformat()
            )
    return len(ids)


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def refresh_quality_task(self: Any) -> int:
    """Nightly: resource quality scores for the ranking."""
    return services.quality_scores_refresh()
