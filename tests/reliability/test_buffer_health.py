"""Issue 7.8: /readyz warns when the view buffer's Redis may evict keys; a warning never fails readiness."""

import pytest
import redis
from django.test import Client

pytestmark = pytest.mark.django_db


def test_readyz_warns_when_the_buffer_s_redis_evicts_keys(settings, throwaway_redis):
    settings.STATS_REDIS_URL = throwaway_redis.url
    redis.Redis(port=throwaway_redis.port).config_set("maxmemory-policy", "allkeys-lru")
    response = Client().get("/readyz")  # from loopback: the detail is shown
    assert response.status_code == 200  # pages are still served
    check = response.json()["checks"]["stats_buffer"]
    assert check.startswith("warning:")
    assert "maxmemory-policy allkeys-lru" in check
    assert "stats_buffer" not in response.json()["failing"]


def test_readyz_is_quiet_about_a_buffer_with_noeviction(settings, throwaway_redis):
    settings.STATS_REDIS_URL = throwaway_redis.url
    redis.Redis(port=throwaway_redis.port).config_set("maxmemory-policy", "noeviction")
    assert Client().get("/readyz").json()["checks"]["stats_buffer"] == "ok"


def test_an_unreachable_buffer_is_a_warning_not_a_failure(settings):
    settings.STATS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert "does not answer" in response.json()["checks"]["stats_buffer"]
