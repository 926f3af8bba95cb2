"""Celery tasks of career guidance: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from employment.guidance import services


@shared_task(bind=True, time_limit=300, soft_time_limit=270)
def remind_live_courses_task(self: object) -> int:
    """Remind the registrants of live courses starting within half an hour (beat, every five minutes).
    Each registration is reminded once; a second run sends nothing."""
    return services.live_reminders_send()
