"""The search backend in use: ``SEARCH_BACKEND`` (a dotted class path) or the one of the database vendor."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from smartedu.search.backends.base import Hit, Scope, SearchBackend

BY_VENDOR = {
    "postgresql": "smartedu.search.backends.postgresql.PostgresBackend",
    "sqlite": "smartedu.search.backends.sqlite.SQLiteBackend",
}

__all__ = ["Hit", "Scope", "SearchBackend", "get_backend"]


@cache
def _load(path: str) -> SearchBackend:
    return import_string(path)()


def get_backend() -> SearchBackend:
    path = getattr(settings, "SEARCH_BACKEND", "") or BY_VENDOR[connection.vendor]
    return _load(path)
