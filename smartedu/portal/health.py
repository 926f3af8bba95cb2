"""Readiness checks of the parts a request needs: database, cache and Celery broker."""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from smartedu.celery import app as celery_app


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    nonce = uuid.uuid4().hex
    cache.set("readyz:probe", nonce, 10)
    if cache.get("readyz:probe") != nonce:
        raise RuntimeError("value written was not read back")


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


def check_stats_buffer() -> str | None:
    """A warning, never a failure: pages are served while view counting has trouble."""
    from smartedu.stats.health import buffer_warnings

    return buffer_warnings()


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "stats_buffer": check_stats_buffer,
}


def readiness() -> dict[str, str]:
    """``{part: "ok" | "warning: ..." | "error: ..."}`` for every part; a check may return a warning."""
    results = {}
    for name, check in CHECKS.items():
        try:
            warning = check()
        except Exception as exc:
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
        else:
            results[name] = f"warning: {warning}"[:500] if warning else "ok"
    return results
