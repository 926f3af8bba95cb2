"""Issue 7.4: every throttle, the lockout and the login log key on the real client address."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from smartedu.portal.client import client_ip
from smartedu.portal.throttling import ClientAddressMixin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

REGISTER_URL = "/api/v1/accounts/register/"


def _auth_limit() -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_throttle(api_client, settings):
    settings.TRUSTED_PROXIES = 0
    statuses = [
        api_client.post(REGISTER_URL, {}, HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250 + 1}").status_code
        for n in range(_auth_limit() + 1)
    ]
    assert statuses[:-1] == [400] * _auth_limit()
    assert statuses[-1] == 429


def test_behind_one_trusted_proxy_clients_are_throttled_apart(api_client, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(_auth_limit()):
        api_client.post(REGISTER_URL, {}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert api_client.post(REGISTER_URL, {}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # Another client behind the same load balancer (same REMOTE_ADDR) is not affected.
    assert api_client.post(REGISTER_URL, {}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 400


def _api_views():
    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "cls", None)
                if view is not None and hasattr(view, "throttle_classes"):
                    yield view

    return list(walk(get_resolver().url_patterns))


def test_every_throttle_in_use_keys_on_client_ip(rf, settings):
    from rest_framework.request import Request

    settings.TRUSTED_PROXIES = 0
    classes = {import_string(path) for path in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]}
    for view in _api_views():
        classes.update(view.throttle_classes)
    assert len(classes) >= 3
    request = Request(rf.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    keyed_on_forgery = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in classes if c().get_ident(request) != "203.0.113.9"
    )
    assert keyed_on_forgery == []
    assert all(
        issubclass(c, ClientAddressMixin) for c in classes if c.__module__.startswith("smartedu.accounts")
    )


def test_axes_and_the_login_log_record_the_real_client_address(client, settings):
    settings.TRUSTED_PROXIES = 1
    UserFactory(username="amy")
    client.post(
        "/accounts/login/",
        {"username": "amy", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9",
    )
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["198.51.100.9"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("proxies", "expected"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_secure_proxy_ssl_header_is_trusted_only_behind_configured_proxies(tmp_path, proxies, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SECURE_HTTPS="1", DJANGO_TRUSTED_PROXIES=proxies, SMARTEDU_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_client_ip_accepts_a_drf_request(rf):
    from rest_framework.request import Request

    assert client_ip(Request(rf.get("/", REMOTE_ADDR="203.0.113.4"))) == "203.0.113.4"
