"""The real client address of a request, behind a known number of trusted proxies.

One rule for every consumer (DRF throttles, django-axes, the view beacon, the login audit): with
``DJANGO_TRUSTED_PROXIES = 0`` (the default) the client is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is
ignored, so a client cannot choose its own address. With ``N`` proxies in front, each proxy appends the
address it received the request from, so the client is the ``N``-th address from the right of the header.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings


class HasMeta(Protocol):
    """A Django ``HttpRequest`` or a DRF ``Request`` (which passes ``META`` through)."""

    @property
    def META(self) -> dict[str, Any]: ...


# The longest textual address (an IPv6 address with an embedded IPv4 one and a zone) is well under this.
LONGEST_ADDRESS = 64


def _valid(address: str) -> str | None:
    """The address in its canonical form, or None. Kept per process (clients repeat their address), but
    never a string longer than an address: a client's forged header must not fill the table."""
    if len(address) > LONGEST_ADDRESS:
        return None
    return _canonical(address)


@lru_cache(maxsize=4096)
def _canonical(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HasMeta) -> str:
    """The client's address as the trusted proxies saw it; ``REMOTE_ADDR`` when none is configured."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 (a value, not a bind)
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not forwarded:
        return remote
    # The right-most N-1 entries were written by our own proxies; the N-th from the right by the first
    # proxy, which saw the client. Fewer entries than proxies: the left-most is the best we know.
    candidate = forwarded[-min(proxies, len(forwarded))]
    return _valid(candidate) or remote


def client_ip_for_axes(request: HasMeta) -> str:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: the same rule as everyone else."""
    return client_ip(request)
