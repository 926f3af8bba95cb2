"""Celery tasks of the higher-education platform: thin, idempotent, each calling one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from higher_ed import services


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def refresh_hot_scores_task(self: Any) -> int:
    """Nightly: hot scores from the last 30 days of views and enrolments."""
    return services.hot_scores_refresh()


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def refresh_run_statuses_task(self: Any) -> int:
    """Just after midnight: runs that start today open, runs that ended yesterday are archived."""
    return services.run_statuses_refresh()


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def refresh_monitoring_task(self: Any) -> dict[str, int]:
    """Every few minutes: the credit-course figures, recognitions and anomaly flags."""
    result = services.monitoring_refresh()
    return {"figures": result.figures, "recognitions": result.recognitions, "anomalies": result.anomalies}
