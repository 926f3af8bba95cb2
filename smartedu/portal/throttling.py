"""DRF throttles keyed on the real client address (issue 7.4).

DRF's own throttles take the address from ``X-Forwarded-For`` unless ``NUM_PROXIES`` is set, so a client
that sends a new header on each request escapes every limit. These use ``client_ip`` (trusted proxies
only) and are the ones ``DEFAULT_THROTTLE_CLASSES`` names; views that pick their own throttle subclass
one of these.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from smartedu.portal.client import client_ip


class ClientAddressMixin:
    """``get_ident`` is the address the trusted proxies saw, never one the client wrote."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass


class SimpleRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """For a throttle of its own scope and rate: ``get_cache_key`` keys on ``self.get_ident(request)``."""
