"""The beacon's WSGI lane (smartedu/stats/fastlane.py, in front of ``smartedu.wsgi.application``): a plainly
valid beacon is answered before Django's handler, by the same rules; everything else reaches Django whole."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable

import pytest
from django.core.signals import request_started

from smartedu.stats import api, services
from smartedu.stats.fastlane import BeaconLane
from smartedu.wsgi import application, django_application
from tests.stats.conftest import BROWSER_UA, home, rollup_totals

pytestmark = pytest.mark.usefixtures("committed_db")


def counted() -> int:
    services.view_counts_flush()
    return rollup_totals()["platform_day"]


def wsgi(
    body: bytes,
    *,
    method: str = "POST",
    path: str = "/api/v1/stats/views/",
    app: Callable[..., Iterable[bytes]] = application,
    **environ: str,
) -> tuple[int, dict[str, str], bytes]:
    """Call the WSGI application as gunicorn does: (status code, headers, body)."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    base = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": BROWSER_UA,
        "HTTP_ORIGIN": "http://testserver",
        "CONTENT_TYPE": "text/plain;charset=UTF-8",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    out = app({**base, **environ}, lambda status, headers, exc_info=None: started.append((status, headers)))
    content = b"".join(out)
    if hasattr(out, "close"):
        out.close()
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), content


def items(*listed: dict) -> bytes:
    return json.dumps({"items": list(listed)}).encode()


@pytest.fixture
def handler_runs():
    """How many requests went through Django's handler (its ``request_started`` signal)."""
    runs: list[object] = []

    def receiver(**kwargs: object) -> None:
        runs.append(kwargs)

    request_started.connect(receiver)
    yield runs
    request_started.disconnect(receiver)


def test_a_valid_beacon_is_counted_without_djangos_handler(handler_runs):
    code, headers, content = wsgi(items(*home()))
    assert (code, content) == (204, b"")
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware's headers still apply
    assert wsgi(items(*home()), CONTENT_TYPE="application/json")[0] == 204
    assert handler_runs == []
    assert counted() == 2


def test_a_bad_item_reaches_the_view_with_its_body_and_gets_400_naming_it(handler_runs):
    code, _headers, content = wsgi(items({"kind": "portal.home", "id": 0}, {"kind": "portal.home", "id": -1}))
    assert code == 400
    assert list(json.loads(content)["items"]) == ["1"]  # DRF read the same body again
    assert len(handler_runs) == 1
    assert counted() == 1


def test_another_site_is_refused_by_the_view():
    code, _headers, _content = wsgi(items(*home()), HTTP_ORIGIN="https://evil.example")
    assert code == 403
    assert counted() == 0


def test_a_body_too_large_is_left_unread_for_django():
    big = b'{"items": [' + b'{"kind": "portal.home", "id": 0},' * 40_000 + b"]}"
    code, _headers, _content = wsgi(big)
    assert code in (400, 413)
    assert counted() == 0


def test_other_requests_go_to_django(handler_runs):
    code, _headers, _content = wsgi(b"", method="GET", path="/healthz")
    assert code == 200
    code, _headers, _content = wsgi(b"{}", path="/api/v1/stats/views/pixel.gif")
    assert code == 405
    assert len(handler_runs) == 2


def test_https_is_required_where_django_requires_it(settings):
    settings.SECURE_SSL_REDIRECT = True
    lane = BeaconLane(django_application)  # middleware read their settings when built, as Django's do
    code, headers, _content = wsgi(items(*home()), app=lane)
    assert code == 301
    assert headers["Location"].startswith("https://testserver/")
    assert counted() == 0
    code, headers, _content = wsgi(items(*home()), app=lane, **{"wsgi.url_scheme": "https"})
    assert code == 204
    assert counted() == 1


def test_an_unexpected_error_is_djangos_500_not_a_crash(monkeypatch):
    def broken(request: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "plain_beacon", broken)
    monkeypatch.setattr("smartedu.stats.fastlane.plain_beacon", broken)
    code, _headers, _content = wsgi(items(*home()))
    assert code == 500


def test_the_lanes_request_reads_its_charset_as_django_does():
    from smartedu.stats.fastlane import _BeaconRequest

    request = _BeaconRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/stats/views/",
            "QUERY_STRING": "a=1",
            "CONTENT_TYPE": "text/plain;charset=UTF-8",
            "wsgi.input": io.BytesIO(b""),
        }
    )
    assert request.encoding == "UTF-8"
    assert request.GET["a"] == "1"
    odd = _BeaconRequest(
        {
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": "text/plain;charset=no-such",
            "wsgi.input": io.BytesIO(b""),
        }
    )
    assert odd.encoding is None  # an unknown charset is ignored, as Django ignores it
