"""The flush run by a real Celery worker process: exactly N views after crashes and Redis restarts."""

import pytest
from rest_framework.test import APIClient

from smartedu.stats.buffer import get_buffer
from smartedu.stats.models import ProcessedBatch
from smartedu.stats.tasks import flush_view_counts_task
from tests.stats.conftest import EMBEDDED, beacon, home, rollup_totals, wait_for

pytestmark = pytest.mark.worker


def send(n: int) -> None:
    """``n`` views of the home page, one beacon each (repeats inside one beacon count once)."""
    for _ in range(n):
        assert beacon(APIClient(), home()).status_code == 204


def flush() -> dict:
    return flush_view_counts_task.delay().get(timeout=90)


def exactly(n: int) -> dict[str, int]:
    return {"platform_day": n, "platform_hour": n, "province_day": n}


def test_the_worker_flushes_n_beacons_into_exactly_n_views(make_worker):
    make_worker()
    send(25)
    assert flush()["views"] == 25
    assert rollup_totals() == exactly(25)
    send(4)
    flush()
    assert rollup_totals() == exactly(29)


@pytest.mark.parametrize("stage", ["before_commit", "after_commit"])
def test_a_worker_killed_mid_flush_loses_nothing_and_counts_nothing_twice(make_worker, stage, pinned_bucket):
    # given a worker that will pause inside the flush (STATS_TEST_FLUSH_PAUSE), and 30 views in the buffer,
    # in one bucket (the counting clock is pinned)
    worker = make_worker(STATS_TEST_FLUSH_PAUSE="120", STATS_TEST_FLUSH_PAUSE_AT=stage)
    send(30)
    # when the worker is killed with SIGKILL while it flushes
    flush_view_counts_task.delay()
    wait_for(lambda: "stats flush paused" in worker.output(), what="the flush to pause")
    worker.kill()
    # then before the commit nothing of the batch is in the rollups and it is still pending; after the
    # commit it is all there, and still pending in Redis (the database buffer deletes it in the transaction)
    committed = rollup_totals()["platform_day"]
    assert rollup_totals() == exactly(committed)
    if stage == "before_commit":
        assert committed == 0
        assert not ProcessedBatch.objects.exists()
        assert get_buffer().pending()
    else:
        assert 0 < committed <= 30
        assert ProcessedBatch.objects.count() == 1
        assert get_buffer().pending() or (EMBEDDED and committed == 30)
    # when it is restarted (without the pause) and more views come, and the next flush runs
    worker.env = {}
    worker.start()
    send(5)
    flush()
    # then every view is counted exactly once
    assert rollup_totals() == exactly(35)
    assert not get_buffer().pending()


@pytest.mark.skipif(EMBEDDED, reason="the embedded mode has no Redis; its buffer is the database")
def test_views_survive_a_redis_restart_between_flushes(make_worker, throwaway_redis, settings):
    settings.STATS_REDIS_URL = throwaway_redis.url
    make_worker(STATS_REDIS_URL=throwaway_redis.url)
    send(12)
    flush()
    send(9)  # waiting in the buffer when Redis restarts
    throwaway_redis.restart()
    send(4)  # counted by the restarted Redis
    flush()
    assert rollup_totals() == exactly(25)


@pytest.mark.skipif(EMBEDDED, reason="the embedded mode has no Redis; its buffer is the database")
def test_a_committed_batch_pending_across_a_redis_restart_is_not_counted_twice(
    make_worker, throwaway_redis, settings, pinned_bucket
):
    settings.STATS_REDIS_URL = throwaway_redis.url
    worker = make_worker(
        STATS_REDIS_URL=throwaway_redis.url,
        STATS_TEST_FLUSH_PAUSE="120",
        STATS_TEST_FLUSH_PAUSE_AT="after_commit",
    )
    send(15)
    flush_view_counts_task.delay()
    wait_for(lambda: "stats flush paused" in worker.output(), what="the flush to pause")
    worker.kill()
    throwaway_redis.restart()
    assert len(get_buffer().pending()) == 1  # the append-only file kept the batch
    worker.env = {"STATS_REDIS_URL": throwaway_redis.url}
    worker.start()
    result = flush()
    assert result["skipped_batches"] == 1
    assert rollup_totals() == exactly(15)
    assert not get_buffer().pending()
