"""Django's database sessions, read with one precompiled statement (issue 14, signed-in pages).

Every signed-in request loads its session. Through the ORM that look-up costs more to build (the
``SELECT``'s compilation: about 0.15 ms, the most of the session's cost) than PostgreSQL takes to run it,
so this store sends the same statement as text it built once per process. Everything else is Django's
``db`` engine: the same table, writes, expiry and cleanup (``clearsessions``); switching engines keeps every
session valid. ``SESSION_ENGINE = "smartedu.accounts.sessions"``.

A session signed in before the project's own account backend (smartedu/accounts/backends.py) names Django's
``ModelBackend``, which is no longer listed: it is read as naming the project's (the same rules), in memory,
so nobody is signed out and a page view writes nothing.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from smartedu.accounts import backends


@functools.cache
def _statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        f"SELECT {quote('session_data')} FROM {quote(Session._meta.db_table)} "  # noqa: S608 (names only)
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(DatabaseStore):
    def load(self) -> dict[str, Any]:
        """The session's data, or ``{}`` (and no key) when it does not exist or has expired, as Django's."""
        key = self.session_key
        if not key:  # an absent or invalid key (``_validate_session_key``): no session, no query
            self._session_key = None
            return {}
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(alias), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data = self.decode(row[0])
        if data.get(BACKEND_SESSION_KEY) == backends.LEGACY_PATH:
            data[BACKEND_SESSION_KEY] = backends.PATH
        return data
