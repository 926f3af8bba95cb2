"""Failed-login lockout (django-axes) that an attacker cannot turn against the account's owner.

Two limits, both over the last ``AXES_COOLOFF_MINUTES`` (issue 7.5):

* ``AXES_FAILURE_LIMIT`` (default 5) wrong passwords for one username **from one client address** lock
  that username from that address only. The address is the real client's (smartedu/portal/client.py),
  so clients behind one load balancer do not share a lock, and a forged ``X-Forwarded-For`` is ignored.
* ``AXES_USERNAME_FAILURE_LIMIT`` (default 50) wrong passwords for one username **from any addresses**
  lock the username everywhere: the brake on an attack spread over many addresses.

Django-axes compares one number with one limit, so ``LockoutHandler.get_failures`` reports the failures
of the username and address, raised to the limit once the username's total reaches its own limit.
The locked-out user is told when they can try again (``lockout_response``), in Beijing time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def effective_failures(*, pair: int, per_username: int) -> int:
    """The count django-axes compares with ``AXES_FAILURE_LIMIT``."""
    if per_username >= settings.AXES_USERNAME_FAILURE_LIMIT:
        return max(pair, settings.AXES_FAILURE_LIMIT)
    return pair


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with the two limits above (``AXES_HANDLER``)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        pair = _failures(attempts.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
        return effective_failures(pair=pair, per_username=_failures(attempts))


def _unlock_time(rows: list[tuple[datetime, int]], *, limit: int, cool_off: timedelta) -> datetime | None:
    """When the failures of ``rows`` (latest attempt, failures) fall below ``limit``; None if they are."""
    total = sum(failures for _at, failures in rows)
    for at, failures in sorted(rows):  # the oldest rows age out first
        if total < limit:
            break
        total -= failures
        if total < limit:
            return at + cool_off
    return None


@dataclass(frozen=True)
class Lockout:
    username: str
    until: datetime
    addresses: tuple[str, ...]  # the addresses locked out; empty when the username is locked everywhere


def _lockouts(attempts: QuerySet[AccessAttempt], now: datetime) -> list[Lockout]:
    cool_off = get_cool_off() or timedelta(0)
    rows: dict[str, list[tuple[str, datetime, int]]] = {}
    for username, ip, at, failures in attempts.filter(attempt_time__gte=now - cool_off).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    ):
        rows.setdefault(username or "", []).append((ip or "", at, failures))
    found = []
    for username, user_rows in sorted(rows.items()):
        everywhere = _unlock_time(
            [(at, n) for _ip, at, n in user_rows],
            limit=settings.AXES_USERNAME_FAILURE_LIMIT,
            cool_off=cool_off,
        )
        per_address = {}
        for ip in {ip for ip, _at, _n in user_rows}:
            until = _unlock_time(
                [(at, n) for row_ip, at, n in user_rows if row_ip == ip],
                limit=settings.AXES_FAILURE_LIMIT,
                cool_off=cool_off,
            )
            if until:
                per_address[ip] = until
        if everywhere:
            found.append(Lockout(username, max([everywhere, *per_address.values()]), ()))
        elif per_address:
            found.append(Lockout(username, max(per_address.values()), tuple(sorted(per_address))))
    return found


def lockout_until(*, username: str | None, ip_address: str) -> datetime | None:
    """When ``username`` may try again from ``ip_address``; None if they may now."""
    now = timezone.now()
    for lockout in _lockouts(AccessAttempt.objects.filter(username=username), now):
        if not lockout.addresses or ip_address in lockout.addresses:
            return lockout.until
    return None


def lockout_list(*, usernames: QuerySet[Any]) -> list[Lockout]:
    """The current lockouts of the given usernames (a ``values("username")`` queryset)."""
    return _lockouts(AccessAttempt.objects.filter(username__in=usernames), timezone.now())


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 saying when to try again (HTML page, or JSON under /api/)."""
    username = get_client_username(request, credentials)
    until = lockout_until(username=username, ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    until = until or timezone.now() + (get_cool_off() or timedelta(0))
    local = timezone.localtime(until)
    retry_after = max(1, int((until - timezone.now()).total_seconds()))
    if request.path.startswith("/api/"):
        message = _("Too many failed logins. Try again after %(time)s (Beijing time).") % {
            "time": local.strftime("%Y-%m-%d %H:%M")
        }
        response: HttpResponse = JsonResponse({"detail": message, "retry_at": local.isoformat()}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"until": local}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
