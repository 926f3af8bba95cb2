"""Counting and the flush, in this process, through the real buffer of the mode (Redis or the database)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum
from rest_framework.test import APIClient

from smartedu.stats import services
from smartedu.stats.buffer import get_buffer
from smartedu.stats.models import (
    BufferedView,
    ObjectDailyView,
    PlatformDailyView,
    ProcessedBatch,
    ProvinceDailyView,
    SectionDailyView,
)
from tests.stats.conftest import EMBEDDED, TEST_KIND, beacon, home, object_total, rollup_totals

# Every view of a test lands in one bucket (pinned_bucket), so that batch and query counts are exact.
pytestmark = pytest.mark.usefixtures("committed_db", "pinned_bucket")


def stage_subject(code_stage: str = "primary", code_subject: str = "chinese"):
    from k12.models import StageSubject

    return StageSubject.objects.select_related("stage", "subject").get(
        stage__code=code_stage, subject__code=code_subject
    )


def test_n_beacons_are_exactly_n_views_in_every_rollup(api_client, test_kind):
    # given 7 beacons: 3 of the home page alone, 4 with the home page and a stage subject
    pair = stage_subject()
    for _ in range(3):
        assert beacon(api_client, home()).status_code == 204
    for _ in range(4):
        assert beacon(api_client, [*home(), {"kind": TEST_KIND, "id": pair.pk}]).status_code == 204
    # when
    result = services.view_counts_flush()
    # then
    assert result.views == 11
    assert rollup_totals() == {"platform_day": 11, "platform_hour": 11, "province_day": 11}
    assert object_total() == 4
    assert ObjectDailyView.objects.get(kind=TEST_KIND, object_id=pair.pk).views == 4
    section = SectionDailyView.objects.get()
    assert (section.section_ref, section.column_ref, section.views) == (
        f"k12.stage:{pair.stage_id}",
        f"k12.subject:{pair.subject_id}",
        4,
    )
    by_platform = dict(PlatformDailyView.objects.values_list("platform").annotate(n=Sum("views")))
    assert by_platform == {"portal": 7, "k12": 4}
    assert not get_buffer().pending()


def test_a_second_flush_adds_nothing():
    for _ in range(5):
        beacon(APIClient(), home())
    services.view_counts_flush()
    first = rollup_totals()
    result = services.view_counts_flush()
    assert result.views == 0
    assert rollup_totals() == first == {"platform_day": 5, "platform_hour": 5, "province_day": 5}


def _replant(batch_id: str, views: int) -> None:
    """Put a batch that was already applied back into the buffer, as a crash after the commit would."""
    buffer = get_buffer()
    if EMBEDDED:
        from datetime import UTC, datetime

        bucket = datetime.fromtimestamp(int(batch_id.split("-")[0]), tz=UTC)
        BufferedView.objects.bulk_create(
            [
                BufferedView(bucket=bucket, kind="portal.home", object_id=0, batch_id=batch_id)
                for _ in range(views)
            ]
        )
    else:
        key = buffer._batch_key(batch_id)
        buffer.redis.hset(key, "portal.home|0|", views)
        buffer.redis.sadd(buffer.batches_key, key)


def test_a_replayed_batch_is_recognised_and_skipped():
    # given a batch that was applied and committed
    for _ in range(6):
        beacon(APIClient(), home())
    services.view_counts_flush()
    batch_id = ProcessedBatch.objects.get().batch_id
    # when it comes back (the process died after the commit, before deleting it) and is flushed again
    _replant(batch_id, 6)
    assert get_buffer().pending() == [batch_id]
    result = services.view_counts_flush()
    # then it is skipped and discarded, and nothing is counted twice
    assert (result.batches, result.skipped_batches) == (0, 1)
    assert rollup_totals()["platform_day"] == 6
    assert not get_buffer().pending()


def test_views_of_content_that_does_not_exist_are_dropped_everywhere(api_client, test_kind):
    beacon(api_client, [{"kind": TEST_KIND, "id": 987654}, *home()])
    result = services.view_counts_flush()
    assert result.views == 1
    assert rollup_totals() == {"platform_day": 1, "platform_hour": 1, "province_day": 1}
    assert object_total() == 0
    assert ProcessedBatch.objects.get().views == 1


def test_concurrent_beacons_from_several_threads_are_counted_exactly(test_kind):
    threads_n, beacons_n = 6, 20
    pair = stage_subject("junior", "math")
    errors = []

    def send():
        client = APIClient()
        try:
            for _ in range(beacons_n):
                response = beacon(client, [*home(), {"kind": TEST_KIND, "id": pair.pk}])
                if response.status_code != 204:
                    errors.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(threads_n)]
    for t in threads:
        t.start()
    # the flush runs while the beacons come in, and once more after them
    services.view_counts_flush()
    for t in threads:
        t.join()
    services.view_counts_flush()
    assert errors == []
    n = threads_n * beacons_n
    assert rollup_totals() == {"platform_day": 2 * n, "platform_hour": 2 * n, "province_day": 2 * n}
    assert ObjectDailyView.objects.get(object_id=pair.pk).views == n


def test_the_flush_costs_the_same_queries_for_2_or_200_views_of_the_same_keys(
    django_assert_num_queries, test_kind
):
    pair = stage_subject()
    items = [*home(), {"kind": TEST_KIND, "id": pair.pk}]

    def queries_for(views_each: int) -> int:
        client = APIClient()
        for _ in range(views_each):
            beacon(client, items)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            services.view_counts_flush()
        return len(ctx.captured_queries)

    small = queries_for(1)
    large = queries_for(100)
    assert small == large
    assert ObjectDailyView.objects.get(object_id=pair.pk).views == 101


def test_unique_visitors_per_day_and_platform(test_kind):
    pair = stage_subject()
    addresses = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]  # one visitor per address and browser
    for address in addresses:
        for _ in range(4):
            beacon(APIClient(), home(), REMOTE_ADDR=address)
    beacon(APIClient(), [{"kind": TEST_KIND, "id": pair.pk}], REMOTE_ADDR=addresses[0])
    services.view_counts_flush()
    rows = dict(PlatformDailyView.objects.values_list("platform", "visitors"))
    assert rows == {"portal": 3, "k12": 1}


def test_the_province_comes_from_the_profile_else_from_the_client_address_never_the_body(api_client):
    from tests.factories import UserFactory, province

    user = UserFactory(province=province("45"))
    signed_in = APIClient()
    signed_in.force_login(user)
    # the profile wins over the address and the body
    assert beacon(signed_in, home(), body={"province": "61"}, REMOTE_ADDR="113.108.81.189").status_code == 204
    # anonymous: the address (a Shenzhen address: Guangdong, 44); the body's claim is ignored
    assert (
        beacon(api_client, home(), body={"province": "62"}, REMOTE_ADDR="113.108.81.189").status_code == 204
    )
    # an address the database places in no province (abroad) is unknown
    assert beacon(APIClient(), home(), body={"province": "62"}, REMOTE_ADDR="8.8.8.8").status_code == 204
    services.view_counts_flush()
    assert dict(ProvinceDailyView.objects.values_list("province_code", "views")) == {"45": 1, "44": 1, "": 1}
