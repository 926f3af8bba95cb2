"""Issue 7.7: floods of made-up ids and batches that keep failing cannot stop the counting of real views."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from smartedu.stats import registry, services
from smartedu.stats.buffer import CountedView, RecordRequest, get_buffer
from smartedu.stats.models import DroppedDailyView, FailedBatch, ObjectDailyView
from tests.stats.conftest import (
    EMBEDDED,
    TEST_KIND,
    beacon,
    home,
    rollup_totals,
)
from tests.stats.factories import admin

pytestmark = pytest.mark.usefixtures("committed_db")

FAKE = 10**12


@pytest.fixture
def clock(settings, monkeypatch):
    """Counting happens at ``clock.at``; move it to put views into another bucket."""
    from django.utils import timezone

    class Clock:
        at = timezone.now().replace(minute=0, second=0, microsecond=0)

    settings.STATS_BUCKET_SECONDS = 3600
    monkeypatch.setattr(services, "now", lambda: Clock.at)
    return Clock


def real_pair():
    from k12.models import StageSubject

    return StageSubject.objects.order_by("pk").first()


def fake_views(first: int, n: int) -> None:
    """``n`` made-up ids of the test kind through the real beacon, 50 per request."""
    client = APIClient()
    for start in range(first, first + n, 50):
        items = [{"kind": TEST_KIND, "id": FAKE + i} for i in range(start, min(start + 50, first + n))]
        assert beacon(client, items).status_code == 204


def lookups_of_the_kind(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if 'FROM "k12_stagesubject"' in q["sql"])


def test_2000_fake_ids_then_one_real_view_counted_by_the_next_flush(settings, clock, test_kind):
    settings.STATS_FLUSH_CHUNK = 500
    fake_views(0, 2000)
    with CaptureQueriesContext(connection) as ctx:
        first = services.view_counts_flush()
    assert lookups_of_the_kind(ctx) == 4  # the ids are looked up 500 at a time
    assert (first.batches, first.views, first.dropped) == (1, 0, 2000)
    clock.at += timedelta(hours=1)
    pair = real_pair()
    assert beacon(APIClient(), [{"kind": TEST_KIND, "id": pair.pk}]).status_code == 204
    second = services.view_counts_flush()
    assert (second.batches, second.views, second.failed_batches) == (1, 1, 0)
    assert ObjectDailyView.objects.get(kind=TEST_KIND, object_id=pair.pk).views == 1
    assert DroppedDailyView.objects.get(reason="unknown").views == 2000


def test_2000_fake_ids_and_one_real_view_in_the_same_bucket_are_flushed_together(clock, test_kind):
    fake_views(0, 2000)
    pair = real_pair()
    beacon(APIClient(), [{"kind": TEST_KIND, "id": pair.pk}])
    result = services.view_counts_flush()
    assert (result.views, result.dropped) == (1, 2000)
    assert ObjectDailyView.objects.get(kind=TEST_KIND, object_id=pair.pk).views == 1


def test_a_flood_past_sqlite_s_variable_limit_does_not_break_the_flush(settings, clock, test_kind):
    # 40,000 ids in one IN (…) were more than SQLite's 32,766 variables: every later flush failed
    buffer = get_buffer()
    for start in range(0, 40_000, 1000):
        buffer.record(
            RecordRequest(
                views=[CountedView(TEST_KIND, FAKE + i, "", "k12") for i in range(start, start + 1000)],
                visitor="a" + "0" * 32,
                when=clock.at,
                day=clock.at.date(),
                rate_key="bench",
                rate=None,
                dedupe_seconds=0,
                max_keys=settings.STATS_BUCKET_MAX_KEYS,
                platforms=["k12"],
            )
        )
    result = services.view_counts_flush()
    assert (result.failed_batches, result.dropped) == (0, 40_000)
    clock.at += timedelta(hours=1)
    beacon(APIClient(), home())
    assert services.view_counts_flush().views == 1


def test_distinct_keys_per_bucket_are_capped_and_the_excess_is_counted_and_shown(settings, clock, test_kind):
    settings.STATS_BUCKET_MAX_KEYS = 100
    fake_views(0, 300)
    if not EMBEDDED:  # the cap holds in Redis itself: the bucket never grows past it
        buffer = get_buffer()
        bucket = next(iter(buffer.redis.smembers(buffer.buckets_key)))
        assert buffer.redis.hlen(bucket) <= 100 + 2  # plus its generation and dropped-count fields
    result = services.view_counts_flush()
    assert result.dropped == 300  # 200 over the cap, 100 of made-up ids
    assert dict(DroppedDailyView.objects.values_list("reason", "views")) == {"over_cap": 200, "unknown": 100}
    # visible on the dashboard and in /readyz's detail
    client = Client()
    client.force_login(admin())
    html = client.get("/dashboard/").content.decode()
    assert 'data-kpi="dropped-over-cap"><dt>' in html
    assert ">200</dd>" in html.split('data-kpi="dropped-over-cap"')[1][:200]
    detail = Client().get("/readyz").json()["checks"]["stats_buffer"]
    assert "200 views dropped today over a bucket's key cap" in detail


def _poison_locate(ids: list[int]) -> dict:
    raise RuntimeError("a sub-platform's location query is broken")


@pytest.fixture
def poison_kind():
    kind = registry.ContentKind(
        key="k12.poison", platform="k12", label="poison", model="k12.StageSubject", counter_field=None,
        locate=_poison_locate,
    )  # fmt: skip
    registry.register_kind(kind)
    yield kind
    registry.unregister_kind("k12.poison")


def test_a_batch_that_keeps_failing_is_set_aside_and_never_blocks_later_ones(settings, clock, poison_kind):
    settings.STATS_BATCH_MAX_FAILURES = 3
    pair = real_pair()
    beacon(APIClient(), [{"kind": "k12.poison", "id": pair.pk}])
    clock.at += timedelta(hours=1)
    beacon(APIClient(), home())
    # the poisoned batch fails; the later one is counted in the same flush
    first = services.view_counts_flush()
    assert (first.failed_batches, first.batches, first.views) == (1, 1, 1)
    assert FailedBatch.objects.get().attempts == 1
    services.view_counts_flush()
    third = services.view_counts_flush()
    assert (third.failed_batches, third.set_aside_batches) == (1, 1)
    aside = FailedBatch.objects.get()
    assert (aside.attempts, aside.views, aside.set_aside_at is not None) == (3, 1, True)
    assert "location query is broken" in aside.last_error
    assert not get_buffer().pending()
    assert services.view_counts_flush().failed_batches == 0  # no longer retried
    # reported on the dashboard and in /readyz
    client = Client()
    client.force_login(admin())
    html = client.get("/dashboard/").content.decode()
    assert ">1 <small>" in html.split('data-kpi="set-aside"')[1][:200]
    assert "1 batches set aside (1 views)" in Client().get("/readyz").json()["checks"]["stats_buffer"]
    # once the kind is fixed, the batch is put back and counted
    registry.register_kind(
        registry.ContentKind(
            key="k12.poison", platform="k12", label="fixed", model="k12.StageSubject", counter_field=None
        )
    )
    call_command("stats_batches", "--all")
    assert services.view_counts_flush().views == 1
    assert rollup_totals()["platform_day"] == 2
    assert not FailedBatch.objects.exists()
