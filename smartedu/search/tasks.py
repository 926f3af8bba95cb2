"""Celery tasks of the search engine: thin, idempotent, each calling one service."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError

from smartedu.search import services


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=1, retry_backoff_max=30, max_retries=5)
def index_pending_task(self: Task, limit: int = services.BATCH) -> dict[str, int]:
    """Index one batch of queued changes; queue another task while more wait."""
    result = services.search_index_pending(limit=limit)
    if services.search_pending_count():
        index_pending_task.apply_async(kwargs={"limit": limit}, countdown=0)
    return {"indexed": result.indexed, "removed": result.removed}


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
    time_limit=1800,
    soft_time_limit=1700,
)
def reconcile_index_task(self: Task) -> dict[str, int]:
    """Beat: index what no signal announced, drop what is no longer visible, refresh popularity."""
    results = services.search_reconcile()
    return {
        "indexed": sum(r.indexed for r in results.values()),
        "removed": sum(r.removed for r in results.values()),
    }


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=1, max_retries=3)
def flush_search_counts_task(self: Task) -> dict[str, int]:
    """Beat: move buffered search counts into the daily table (replay-safe)."""
    result = services.search_counts_flush()
    return {"batches": result.batches, "queries": result.queries, "searches": result.searches}


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
    time_limit=1800,
    soft_time_limit=1700,
)
def compute_recommendations_task(
    self: Task, source_kind: str | None = None, ids: list[int] | None = None
) -> int:
    """Recompute stored recommendations: of some objects after they changed, or of everything (nightly)."""
    if source_kind is None:
        return services.recommendations_compute_all()
    return services.recommendations_compute(source_kind=source_kind, ids=ids)
