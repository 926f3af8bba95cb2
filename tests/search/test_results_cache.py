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
