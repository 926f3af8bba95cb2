"""Who is viewing: the province and an anonymous visitor id, from the request, without SQL on a hot path.

Identity comes only from the session cookie, never from the request body. The session is resolved once
and remembered in the cache for a few minutes (keyed by a hash of the session key), so counting a signed-in
view costs one cache read, like an anonymous one costs none.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "se_vid"
VISITOR_COOKIE_AGE = 365 * 86400
VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")
SESSION_VIEWER_SECONDS = 300


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    province_code: str
    visitor: str
    new_visitor_cookie: str = ""


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


def _session_viewer(request: HttpRequest) -> tuple[int | None, str]:
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None, ""
    cache_key = "stats:viewer:" + hashlib.sha256(session_key.encode()).hexdigest()
    cached = cache.get(cache_key)
    if cached is None:
        user = get_user(request)  # Django's own session authentication (it checks the session's hash)
        cached = f"{user.pk}|{province_code_of(user.province_id)}" if user.is_authenticated else "|"
        cache.set(cache_key, cached, SESSION_VIEWER_SECONDS)
    user_id, province = cached.split("|", 1)
    return (int(user_id) if user_id else None), province


def viewer_from_request(request: HttpRequest, *, claimed_province: str = "") -> Viewer:
    """The viewer of a beacon: the signed-in user's province, else a valid province the client named."""
    user_id, province = _session_viewer(request)
    if not province and claimed_province and province_code_valid(claimed_province):
        province = claimed_province
    cookie = request.COOKIES.get(VISITOR_COOKIE, "")
    new_cookie = ""
    if user_id is not None:
        visitor = f"u{user_id}"
    elif VISITOR_ID.match(cookie):
        visitor = f"c{cookie}"
    else:
        new_cookie = uuid.uuid4().hex
        # This first view is counted under the new cookie, which the client keeps for the next ones.
        visitor = f"c{new_cookie}"
    return Viewer(user_id=user_id, province_code=province, visitor=visitor, new_visitor_cookie=new_cookie)


def visitor_cookie_set(response: HttpResponse, viewer: Viewer) -> None:
    if viewer.new_visitor_cookie:
        response.set_cookie(
            VISITOR_COOKIE,
            viewer.new_visitor_cookie,
            max_age=VISITOR_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
