"""The Redis buffer's record call, made straight on a pooled connection: a lost script is loaded again, a
dropped connection is retried once, and either way a view counts exactly once."""

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from smartedu.stats.buffer import RedisBuffer, get_buffer
from tests.stats.conftest import EMBEDDED, beacon, home, rollup_totals

pytestmark = [
    pytest.mark.skipif(EMBEDDED, reason="the embedded mode's buffer is a database table"),
    pytest.mark.usefixtures("committed_db"),
]


def counted() -> int:
    from smartedu.stats import services

    services.view_counts_flush()
    return rollup_totals()["platform_day"]


def redis_buffer() -> RedisBuffer:
    buffer = get_buffer()
    assert isinstance(buffer, RedisBuffer)
    return buffer


def test_a_redis_that_lost_its_scripts_counts_once():
    redis_buffer().redis.script_flush()
    assert beacon(APIClient(), home()).status_code == 204
    assert counted() == 1


def test_a_dropped_connection_is_retried_once_and_counts_once():
    client = APIClient()
    assert beacon(client, home()).status_code == 204
    buffer = redis_buffer()
    # Redis closes the buffer's pooled connection (as after a restart); only that one: the server is shared.
    pool = buffer.redis.connection_pool
    connection = pool.get_connection()
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    pool.release(connection)
    killer = redis.Redis(connection_pool=redis.ConnectionPool.from_url(settings.STATS_REDIS_URL))
    assert killer.client_kill_filter(_id=client_id) == 1
    killer.close()
    assert beacon(client, home(), REMOTE_ADDR="198.51.100.77").status_code == 204
    assert counted() == 2
