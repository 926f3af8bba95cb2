"""GET /api/v1/search/ and /api/v1/search/suggest/."""

import pytest

from tests.search.test_text import HOSTILE

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"


def test_search_answers_a_paginated_list_with_counts_and_highlights(api_client, toc):
    body = api_client.get(API, {"q": "三角函数"}).json()
    assert set(body) >= {"count", "next", "previous", "results", "platforms", "kinds"}
    first = body["results"][0]
    start, end = first["title_highlights"][0]
    assert first["title"][start:end] == "三角函数"
    assert body["platforms"]["k12"] == body["count"]


def test_pages_and_kind_filter(api_client, toc):
    first = api_client.get(API, {"q": "数学", "platform": "k12"}).json()
    assert first["next"]
    second = api_client.get(first["next"]).json()
    assert second["previous"]
    assert not {(r["kind"], r["id"]) for r in first["results"]} & {
        (r["kind"], r["id"]) for r in second["results"]
    }
    kind = api_client.get(API, {"q": "数学", "kind": "k12.etextbook"}).json()
    assert {r["kind"] for r in kind["results"]} == {"k12.etextbook"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "数学", "platform": "mars"}, "platform"),
        ({"q": "数学", "kind": "k12.spaceship"}, "kind"),
        ({"q": "数学", "platform": "k12", "kind": "vocational.course"}, "kind"),
        ({"q": "数" * 101}, "q"),
        ({"q": "数学", "page": "0"}, "page"),
        ({"q": "数学", "platform": "k12", "stage": "college"}, "stage"),
    ],
)
def test_bad_input_is_400_naming_the_field(api_client, params, field):
    response = api_client.get(API, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("query", [*HOSTILE, " ".join(HOSTILE), "'; DROP TABLE search_searchdocument; --"])
def test_syntax_characters_are_text(api_client, toc, query):
    assert api_client.get(API, {"q": query}).status_code == 200
    assert api_client.get(f"{API}suggest/", {"q": query}).status_code == 200


def test_an_empty_query_is_an_empty_list(api_client):
    assert api_client.get(API, {"q": "  "}).json()["count"] == 0


def test_suggest_offers_at_most_ten_names_and_titles(api_client, toc):
    from smartedu.search import services

    services.search_terms_refresh()
    results = api_client.get(f"{API}suggest/", {"q": "数"}).json()["results"]
    assert 0 < len(results) <= 10
    assert results[0] == {"text": "数学", "category": "subject", "url": ""}
    titles = api_client.get(f"{API}suggest/", {"q": "勾股"}).json()["results"]
    assert titles[0]["text"] == "17.1 勾股定理"
    assert titles[0]["url"].startswith("/k12/lessons/")
    assert api_client.get(f"{API}suggest/", {"q": "x" * 101}).status_code == 400


def test_the_schema_documents_both_endpoints(openapi_schema):
    assert "/api/v1/search/suggest/" in openapi_schema["paths"]
