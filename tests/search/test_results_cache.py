"""/search/ keeps the results of an address in a cached block (smartedu/portal/fragments.py) for a minute: a
repeated search runs fewer queries and is still counted; new content shows once its generation starts."""

import pytest

from smartedu.search import views
from tests.factories.k12 import ResourceFactory
from tests.pages import get_counted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]
SEARCH = "/search/"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_repeated_search_comes_from_the_cache_and_is_still_counted(
    client, search_indexed, monkeypatch, prefix
):
    ResourceFactory(title="勾股定理微课")
    counted = []
    monkeypatch.setattr(
        views.services, "search_record", lambda **kwargs: counted.append(kwargs["result_count"])
    )
    first, first_queries = get_counted(client, prefix + SEARCH, {"q": "勾股定理"})
    second, second_queries = get_counted(client, prefix + SEARCH, {"q": "勾股定理"})
    assert first_queries > 0
    assert second_queries == 0  # the block holds what the page needs: no validation, no search
    assert second.content == first.content
    assert "<mark>勾股定理</mark>" in second.text
    assert counted == [1, 1]


def test_new_content_shows_once_its_generation_starts(
    client, search_indexed, django_capture_on_commit_callbacks
):
    ResourceFactory(title="勾股定理微课")
    assert "练习</a>" not in client.get(SEARCH, {"q": "勾股定理"}).text
    with django_capture_on_commit_callbacks(execute=True):
        new = ResourceFactory(title="勾股定理练习")
    text = client.get(SEARCH, {"q": "勾股定理"}).text
    assert f'href="/k12/resources/{new.pk}/"><mark>勾股定理</mark>练习</a>' in text


def test_an_address_that_does_not_validate_is_answered_400_each_time_and_never_kept(client):
    from smartedu.portal import fragments

    assert client.get(SEARCH, {"q": "勾股定理"}).status_code == 200
    held = len(fragments._local._copies)  # the header and that address's answer
    for _ in range(2):
        response = client.get(SEARCH, {"q": "勾股定理", "page": "abc"})
        assert response.status_code == 400
        assert '<ul class="errorlist"' in response.text
    assert len(fragments._local._copies) == held


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def empty_counts():
    from smartedu.search import querylog

    buffer = querylog.buffer()
    buffer.drain()
    for batch in buffer.pending():
        buffer.discard(batch)


def test_an_anonymous_search_is_a_page_cache_hit_and_still_counted(
    client, search_indexed, page_cache_on, empty_counts
):
    from smartedu.search.models import SearchQueryDay
    from smartedu.search.services import search_counts_flush

    ResourceFactory(title="勾股定理微课")
    first = client.get(SEARCH, {"q": "勾股定理"}, REMOTE_ADDR="203.0.113.1")
    assert first["X-Page-Cache"] == "miss"
    again = client.get(SEARCH, {"q": "勾股定理"}, REMOTE_ADDR="203.0.113.2")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    client.get(SEARCH, {"q": "勾股定理"}, REMOTE_ADDR="203.0.113.2")  # a reload: counted once per client
    next_page = client.get(SEARCH, {"q": "勾股定理", "page": "2"}, REMOTE_ADDR="203.0.113.3")
    assert next_page.status_code == 200  # later pages are not counted, from the cache or not
    assert (
        client.get(SEARCH, {"q": "勾股定理", "page": "2"}, REMOTE_ADDR="203.0.113.3")["X-Page-Cache"] == "hit"
    )
    assert search_counts_flush().searches == 2
    row = SearchQueryDay.objects.get(query="勾股定理")
    assert (row.searches, row.last_result_count) == (2, 1)


def test_a_failing_count_never_breaks_a_cached_search_page(
    client, search_indexed, page_cache_on, empty_counts, monkeypatch, caplog
):
    from smartedu.portal import pagecache
    from smartedu.search.views import SEARCH_COUNTED

    ResourceFactory(title="勾股定理微课")
    assert client.get(SEARCH, {"q": "勾股定理"}).status_code == 200

    def broken(request, payload):
        raise RuntimeError("the counter is down")

    monkeypatch.setitem(pagecache._hit_actions, SEARCH_COUNTED, broken)
    again = client.get(SEARCH, {"q": "勾股定理"})
    assert (again.status_code, again["X-Page-Cache"]) == (200, "hit")
    assert "search.counted" in caplog.text


def test_the_search_dashboard_is_never_kept_by_the_page_cache(client, page_cache_on):
    assert "X-Page-Cache" not in client.get("/search/dashboard/")
