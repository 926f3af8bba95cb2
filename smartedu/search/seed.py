"""``seed_demo``: index the demo content every sub-platform just created, and compute recommendations."""

from __future__ import annotations

from typing import Any

from smartedu.search import services


def seed_search_index(*, scale: str, progress: Any) -> None:
    """Idempotent: the reconcile indexes only what is missing (all of it after a first seeding). At seed
    scale what the bulk loaders queued is left to the Celery worker, so the seed keeps its time budget."""
    services.search_reconcile(progress=progress, skip_queued=scale == "seed")
    services.search_terms_refresh()
    services.recommendations_compute_all(progress=progress)
