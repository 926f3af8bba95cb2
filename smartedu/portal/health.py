"""Readiness checks of the parts a request needs: database, cache and Celery broker.

``CHECKS`` is a registry: another app adds a part with ``register_check(name, check)`` in its
``AppConfig.ready()``. A check returns nothing when its part is fine, a warning
text when it works but needs attention, and raises when it fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from smartedu.celery import app as celery_app

# A check raises when its part fails, and may return a warning (a part that works but needs attention).
Check = Callable[[], str | None]


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


CHECKS: dict[str, Check] = {"database": check_database, "cache": check_cache, "broker": check_broker}


def register_check(name: str, check: Check) -> None:
    CHECKS[name] = check


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


def readiness_report(*, detailed: bool) -> tuple[dict[str, object], bool]:
    """The body of ``/readyz`` and whether every part is ready.

    Everyone learns which parts fail; only ``detailed`` readers (administrators, the machine itself) see
    the errors, which may name hosts, ports and versions.
    """
    checks = readiness()
    failing = [name for name, result in checks.items() if result.startswith("error")]
    warnings = [name for name, result in checks.items() if result.startswith("warning")]
    body: dict[str, object] = {"status": "unavailable" if failing else "ok", "failing": failing}
    if warnings:
        body["warnings"] = warnings
    if detailed:
        body["checks"] = checks
    return body, not failing
