"""The view beacon's WSGI fast lane: plainly valid beacons answered before Django's request handler.

The beacon is the site's most frequent request (every content page sends one) and costs less to count than
Django's handler costs to carry it: the ``request_started``/``request_finished`` signals and their
receivers, the middleware chain's wrappers and the response's closing machinery. ``BeaconLane`` wraps the
WSGI application (``smartedu/wsgi.py``): a ``POST`` to the beacon's address is built into a ``WSGIRequest``
and answered by the same ``plain_beacon`` as ``BeaconMiddleware`` — the same origin, bot, viewer, rate-limit,
de-duplication and count, in one round trip to the buffer — with ``SecurityMiddleware`` applied around it
(its HTTPS redirect and headers). Whatever ``plain_beacon``
declines (another content type, a bad body, another site's ``Origin``…) goes on to Django unchanged, body
included, where DRF says what is wrong.

Database connections are looked after as Django's handler does (``close_old_connections`` before and
after: a signed-in viewer may be read from the database once a minute); an exception becomes Django's 500
response, logged by Django's own handler code.
"""

from __future__ import annotations

import codecs
import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.security import SecurityMiddleware
from django.urls import reverse
from django.utils.http import parse_header_parameters

from smartedu.stats.api import plain_beacon

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@functools.lru_cache(maxsize=64)
def _content_type(header: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    content_type, params = parse_header_parameters(header)
    return content_type, tuple(params.items())


class _BeaconRequest(WSGIRequest):
    """Django's request, its ``Content-Type`` parsed once per distinct header (the standard library's
    e-mail parser Django uses costs a tenth of a beacon; beacons send one of two headers)."""

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        content_type, params = _content_type(meta.get("CONTENT_TYPE", ""))
        self.content_type, self.content_params = content_type, dict(params)
        charset = self.content_params.get("charset")
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                pass
            else:
                # Not through the ``encoding`` setter: it builds ``GET`` only to drop it again.
                self._encoding = charset


class _Declined(HttpResponse):
    """What the lane's inner handler answers when ``plain_beacon`` leaves the request to Django."""


class BeaconLane:
    def __init__(self, application: WSGIApp) -> None:
        self.application = application
        self._path = ""
        # Django's own code around the count: the security middleware (redirect, headers), and an exception
        # turned into the 500 response Django's handler would give, logged as Django logs it.
        self._answer = convert_exception_to_response(SecurityMiddleware(self._beacon))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return self.application(environ, start_response)
        if not self._path:
            self._path = reverse("api:stats-views")
        if environ.get("PATH_INFO") != self._path:
            return self.application(environ, start_response)
        request = _BeaconRequest(environ)
        close_old_connections()
        try:
            response = self._answer(request)
        finally:
            close_old_connections()
        assert isinstance(response, HttpResponse)  # a sync chain, and every answer here has its content
        if isinstance(response, _Declined):
            if hasattr(request, "_body"):  # read by plain_beacon: Django reads it again from a new stream
                environ["wsgi.input"] = io.BytesIO(request._body)
            return self.application(environ, start_response)
        headers = [
            *response.items(),
            *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    @staticmethod
    def _beacon(request: HttpRequest) -> HttpResponseBase:
        return plain_beacon(request) or _Declined()


def beacon_lane(application: WSGIApp) -> WSGIApp:
    """The WSGI application with the beacon's fast lane in front (see the module's docstring)."""
    return BeaconLane(application)
