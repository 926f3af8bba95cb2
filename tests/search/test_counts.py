"""Searches are counted as query + result count, without personal data and without SQL per search in
production; the flush is replay-safe; the dashboard panel shows top and zero-result queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartedu.search import querylog, services
from smartedu.search.models import SearchFlushBatch, SearchQueryDay
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_buffer():
    buffer = querylog.buffer()
    buffer.drain()
    for batch in buffer.pending():
        buffer.discard(batch)
    return


def test_a_search_is_counted_once_per_client_and_flushed_into_the_day(client, toc):
    client.get("/search/", {"q": "勾股定理"})
    client.get("/search/", {"q": "勾股定理"})  # a reload
    client.get("/search/", {"q": "勾股定理"}, REMOTE_ADDR="10.0.0.2")
    client.get("/search/", {"q": "量子力学"})
    result = services.search_counts_flush()
    assert result.searches == 3
    rows = {row.query: row for row in SearchQueryDay.objects.all()}
    assert rows["勾股定理"].searches == 2
    assert rows["勾股定理"].last_result_count > 0
    assert rows["量子力学"].zero_result_searches == 1
    assert services.search_counts_flush().searches == 0


def test_queries_that_could_identify_someone_are_not_recorded(client):
    for query in ["13800138000", "110101199003077777", "zhang@example.org"]:
        client.get("/search/", {"q": query})
    services.search_counts_flush()
    assert not SearchQueryDay.objects.exists()


@pytest.mark.skipif(querylog.buffer().__class__.__name__ != "RedisBuffer", reason="production mode")
def test_production_counts_without_any_sql_write(client, toc):
    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", {"q": "浮力"})
    writes = [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert services.search_counts_flush().searches == 1


def test_a_replayed_batch_is_not_counted_twice(client):
    client.get("/search/", {"q": "电路"})
    buffer = querylog.buffer()
    buffer.drain()
    batch = buffer.pending()[0]
    SearchFlushBatch.objects.create(batch_id=batch)  # its counts were committed before a crash
    result = services.search_counts_flush()
    assert result.skipped == 1
    assert not SearchQueryDay.objects.exists()
    assert buffer.pending() == []


def test_the_dashboard_panel_shows_top_and_zero_result_queries(client, user_of):
    from django.utils import timezone

    today = timezone.localdate()
    SearchQueryDay.objects.create(day=today, query="勾股定理", searches=40, last_result_count=5)
    SearchQueryDay.objects.create(day=today, query="量子力学", searches=3, zero_result_searches=3)
    admin = UserFactory(username="ministry", role="admin")
    client.force_login(admin)
    response = client.get("/search/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [f.query for f in response.context["top"]] == ["勾股定理", "量子力学"]
    assert [f.query for f in response.context["zero"]] == ["量子力学"]
    assert "dashboard-nav" in html


@pytest.mark.parametrize(
    "role",
    [
        "student",
        "teacher",
        "graduate",
        "employer-verified",
        "employer-unverified",
        "officer",
        "provincial-admin",
    ],
)
def test_the_dashboard_panel_is_forbidden_to_everyone_else(client, user_of, role):
    client.force_login(user_of(role))
    assert client.get("/search/dashboard/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/search/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
