"""Rate limits of the employment platform's writes, per real client address (``client_ip``)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest

from smartedu.portal.throttling import SimpleRateThrottle


class WriteThrottle(SimpleRateThrottle):
    """Applications, messages, résumé and intention saves, registrations: per client address."""

    scope = "employment_write"

    def get_rate(self) -> str:
        return str(settings.EMPLOYMENT_THROTTLE_WRITE)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifyThrottle(WriteThrottle):
    """Registry look-ups tell whether an ID number is listed: few per client address."""

    scope = "employment_verify"

    def get_rate(self) -> str:
        return str(settings.EMPLOYMENT_THROTTLE_VERIFY)


def write_throttled(request: HttpRequest) -> bool:
    """For the HTML forms: has this address used up its writes? (counts this one if not)."""
    return not WriteThrottle().allow_request(cast(Any, request), cast(Any, None))


def verify_throttled(request: HttpRequest) -> bool:
    return not VerifyThrottle().allow_request(cast(Any, request), cast(Any, None))
