"""``seed_demo``: index the demo content every sub-platform just created, and compute recommendations."""

from __future__ import annotations

import logging
import time
from typing import Any

from smartedu.search import services

logger = logging.getLogger(__name__)


def seed_search_index(*, scale: str, progress: Any) -> None:
    """Idempotent: the reconcile indexes only what is missing (all of it after a first seeding). At seed
    scale what the bulk loaders queued is left to the Celery worker, so the seed keeps its time budget.
    Each step's time is logged (the reconcile logs each kind's), for the seed benchmark."""
    for step, run in (
        ("reconcile", lambda: services.search_reconcile(progress=progress, skip_queued=scale == "seed")),
        ("terms", services.search_terms_refresh),
        ("recommendations", lambda: services.recommendations_compute_all(progress=progress)),
    ):
        started = time.monotonic()
        run()
        logger.info("search seed %s: %.1f s", step, time.monotonic() - started)
