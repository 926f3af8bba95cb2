"""Celery tasks of fairs: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from employment.fairs import services


@shared_task(bind=True, time_limit=300, soft_time_limit=270)
def freeze_closed_fairs_task(self: object) -> int:
    """Freeze the figures of fairs whose window closed (beat, every five minutes); run twice, it freezes
    nothing more."""
    return services.fairs_freeze_closed()
