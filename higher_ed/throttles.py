"""Rate limits of the platform's public writes (enrol, progress, switches), per real client address."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from smartedu.portal.throttling import SimpleRateThrottle


class WriteThrottle(SimpleRateThrottle):
    """At most 120 writes a minute from one client address (``smartedu.portal.client.client_ip``)."""

    scope = "higher_ed_write"
    rate = "120/min"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SuggestThrottle(SimpleRateThrottle):
    """Typeahead asks once per keystroke: 600 a minute per client address, one cache entry."""

    scope = "higher_ed_suggest"
    rate = "600/min"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def write_throttled(request: HttpRequest) -> bool:
    """For the HTML forms: has this address used up its writes? (counts this one if not)."""
    return not WriteThrottle().allow_request(cast(Any, request), cast(Any, None))
