"""Celery tasks of the employment front: thin, idempotent, calling one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import DatabaseError

from employment.front import services


@shared_task(bind=True, time_limit=900, soft_time_limit=840)
def rollup_progress_task(self: Any) -> int:
    """Recompute the progress figures (beat, every 10 minutes); run twice, the second leaves the same rows."""
    return services.progress_rollup().rows


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=10,
    time_limit=900,
    soft_time_limit=840,
)
def deliver_directive_task(self: Any, directive_id: int) -> int:
    """Write a directive's inbox rows in batches; a retry or a duplicate resumes and adds nothing twice."""
    return services.directive_deliver(directive_id=directive_id)


@shared_task(bind=True, time_limit=900, soft_time_limit=840)
def deliver_pending_directives_task(self: Any) -> int:
    """Beat sweep: finish any delivery whose task was lost (the broker was down when it was sent)."""
    pending = services.directives_pending()
    for directive_id in pending:
        services.directive_deliver(directive_id=directive_id)
    return len(pending)
