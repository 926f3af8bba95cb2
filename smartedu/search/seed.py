"""``seed_demo``: index the demo content every sub-platform just created, and compute recommendations."""

from __future__ import annotations

from typing import Any

from smartedu.search import services


def seed_search_index(*, scale: str, progress: Any) -> None:
    """Idempotent: the reconcile indexes only what is missing (all of it after a first seeding)."""
    services.search_reconcile(progress=progress)
    services.search_terms_refresh()
    services.recommendations_compute_all(progress=progress)
