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
    assert second_queries < first_queries
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
