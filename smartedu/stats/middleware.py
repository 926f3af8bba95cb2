"""The view beacon's fast lane: plainly valid beacons are answered at the front of the middleware stack."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from smartedu.stats.api import plain_beacon


class BeaconMiddleware:
    """Answer ``POST /api/v1/stats/views/`` with ``plain_beacon`` when it can, before the rest of the stack.

    Place it right after ``SecurityMiddleware`` (HTTPS redirect and HSTS still apply). A beacon needs no
    session object, CSRF token, language, user or message store: its viewer comes from the session cookie
    and the real client address (``viewers.py``), and it answers 204 without a body. Whatever
    ``plain_beacon`` declines goes on through the whole stack to ``ViewBeaconView``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            if not self._path:
                self._path = reverse("api:stats-views")
            if request.path_info == self._path:
                answer = plain_beacon(request)
                if answer is not None:
                    return answer
        return self.get_response(request)
