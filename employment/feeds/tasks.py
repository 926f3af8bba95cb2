"""Celery tasks of the feeds: thin, idempotent, calling one service."""

from __future__ import annotations

from celery import shared_task

from employment.feeds import services


@shared_task(bind=True, time_limit=3600, soft_time_limit=3500, acks_late=True)
def import_job_feed_task(self: object, import_id: int) -> int:
    """Run a queued feed import; a second delivery finds it running or finished and does nothing."""
    return services.feed_import_run(import_id=import_id).processed
