"""Who is viewing: user or anonymous visitor, province and rate-limit identity — from the request alone.

Nothing comes from the request body. A signed-in viewer is the session's user (with their profile's
province); an anonymous visitor is a salted daily hash of the client address and User-Agent, as Plausible
counts visitors: the salt is random, shared by every process (Redis, or the database in the embedded mode),
replaced every day and the old one deleted, so no address is stored and yesterday's hashes cannot be
recomputed. The client address is ``smartedu.portal.client.client_ip`` (trusted proxies only, never a
forged ``X-Forwarded-For``); the province of an address comes from the offline ip2region database.

The hot path runs no SQL: a session is resolved once per process and minute (then from the cache, then
the database), the salt once per process and day, the province map once per process.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import import_module

import redis
from django.conf import settings
from django.contrib.auth import get_user
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from smartedu.portal.client import client_ip
from smartedu.stats.buffer import BufferUnavailable
from smartedu.stats.geo import province_of_address
from smartedu.stats.periods import local_day

SESSION_VIEWER_SECONDS = 300
PROCESS_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    province_code: str
    visitor: str  # "u<user id>" or "a<32 hex digits>"
    rate_key: str  # what the beacon's rate limit counts: the user, else the client address (hashed)


_PROVINCES: dict[int, str] = {}


def _province_codes() -> dict[int, str]:
    """``{province id: code}``, read once per process (the 31 provinces of GB/T 2260 do not change)."""
    if not _PROVINCES:
        from smartedu.accounts.models import Province

        _PROVINCES.update(Province.objects.values_list("pk", "code"))
    return _PROVINCES


def province_code_valid(code: str) -> bool:
    return code in set(_province_codes().values())


def province_code_of(province_id: int | None) -> str:
    return _province_codes().get(province_id, "") if province_id else ""


def _user_of_session(session_key: str) -> tuple[int | None, str]:
    """Django's own session authentication (it checks the session's hash), without the request."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(request)
    if not user.is_authenticated:
        return None, ""
    return user.pk, province_code_of(getattr(user, "province_id", None))


@lru_cache(maxsize=4096)
def _session_viewer_in_process(session_key: str, window: int) -> tuple[int | None, str]:
    cache_key = "stats:viewer:" + hashlib.sha256(session_key.encode()).hexdigest()
    try:
        cached = cache.get(cache_key)
        if cached is None:
            user_id, province = _user_of_session(session_key)
            cached = f"{user_id or ''}|{province}"
            cache.set(cache_key, cached, SESSION_VIEWER_SECONDS)
    except redis.RedisError as exc:  # a cache that does not answer in time: the beacon answers 503
        raise BufferUnavailable(str(exc)) from exc
    user_id_text, province = str(cached).split("|", 1)
    return (int(user_id_text) if user_id_text else None), province


def session_viewer(request: HttpRequest) -> tuple[int | None, str]:
    """``(user id, profile province code)`` of the session cookie; ``(None, "")`` when not signed in."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None, ""
    return _session_viewer_in_process(session_key, int(time.monotonic() // PROCESS_WINDOW_SECONDS))


_salts: dict[date, str] = {}


def daily_salt(day: date) -> str:
    """Today's salt, shared by every process (fetched once per process and day)."""
    salt = _salts.get(day)
    if salt is None:
        from smartedu.stats.buffer import get_buffer

        salt = get_buffer().salt(day)
        _salts.clear()
        _salts[day] = salt
    return salt


def visitor_hash(*, salt: str, address: str, user_agent: str) -> str:
    digest = hashlib.sha256(f"{salt}|{address}|{user_agent}".encode()).hexdigest()
    return "a" + digest[:32]


def address_hash(*, salt: str, address: str) -> str:
    """What the rate limit counts for an anonymous client: its address, salted and hashed like the visitor."""
    return "ip" + hashlib.sha256(f"{salt}|{address}".encode()).hexdigest()[:24]


def viewer_from_request(request: HttpRequest) -> Viewer:
    """The viewer of a beacon; the province is the profile's, else that of the client address."""
    user_id, province = session_viewer(request)
    address = client_ip(request)
    if not province:
        province = province_of_address(address)
    if user_id is not None:
        return Viewer(user_id=user_id, province_code=province, visitor=f"u{user_id}", rate_key=f"u{user_id}")
    salt = daily_salt(local_day(timezone.now()))
    visitor = visitor_hash(salt=salt, address=address, user_agent=request.META.get("HTTP_USER_AGENT", ""))
    rate_key = address_hash(salt=salt, address=address)
    return Viewer(user_id=None, province_code=province, visitor=visitor, rate_key=rate_key)
