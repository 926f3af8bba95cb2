"""The Redis cache backend builds one client per connection pool, not one per operation."""

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(), reason="the embedded mode caches in memory"
)


def test_one_client_serves_every_operation():
    client = cache._cache.get_client(write=True)
    cache.set("pooled", 1)
    assert cache.get("pooled") == 1
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
