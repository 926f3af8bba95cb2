"""Celery tasks of the employment platform: thin, idempotent, calling one service."""

from __future__ import annotations

from celery import shared_task

from employment import services


@shared_task(bind=True, time_limit=600, soft_time_limit=540)
def close_expired_jobs_task(self: object) -> int:
    """Close the open jobs past their expiry date (beat, hourly); run twice, it closes nothing more."""
    return services.jobs_close_expired()
