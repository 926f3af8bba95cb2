"""``GET /api/v1/`` lists every endpoint of every sub-platform, read off the URL configuration."""

import re

import pytest
from django.urls import Resolver404, resolve, reverse

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_sub_platforms_endpoints_as_absolute_urls(api_client):
    response = api_client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert {"auth", "accounts", "provinces", "k12", "stats"} <= set(body)
    assert body["k12"]["k12-lessons"] == "http://testserver/api/v1/k12/lessons/"
    assert body["k12"]["k12-lesson"] == "http://testserver/api/v1/k12/lessons/{pk}/"
    assert body["auth"]["auth-token"] == "http://testserver" + reverse("api:auth-token")
    assert body["stats"]["stats-views"] == "http://testserver/api/v1/stats/views/"
    assert "root" not in {name for group in body.values() for name in group}


def _shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def test_the_root_and_the_openapi_schema_list_the_same_endpoints(api_client, openapi_schema):
    body = api_client.get("/api/v1/").json()
    listed = {
        _shape(url.removeprefix("http://testserver")) for group in body.values() for url in group.values()
    }
    documented = {_shape(path) for path in openapi_schema["paths"]} - {"/api/v1/"}

    assert listed == documented


def test_every_listed_url_is_a_live_endpoint(api_client):
    body = api_client.get("/api/v1/").json()
    urls = [url for group in body.values() for url in group.values()]
    for url in urls:
        path = re.sub(r"\{\w+\}", "1", url.removeprefix("http://testserver"))
        match = resolve(path)
        assert match.namespace == "api", url
        # Answers in its own way (a list, 401 or 405 for the writes, 404 for the made-up id), never a crash.
        assert api_client.get(path).status_code < 500, url


def test_an_endpoint_not_in_the_api_is_not_listed(api_client):
    body = api_client.get("/api/v1/").json()
    paths = [url.removeprefix("http://testserver") for group in body.values() for url in group.values()]
    assert all(path.startswith("/api/v1/") for path in paths)
    assert "/api/schema/" not in paths
    with pytest.raises(Resolver404):
        resolve("/api/v1/no-such-platform/")


@pytest.mark.urls("tests.api_root_urls")
def test_a_new_apps_endpoints_appear_without_touching_the_root_view(api_client):
    body = api_client.get("/api/v1/").json()

    assert body["newcomer"] == {
        "newcomer-courses": "http://testserver/api/v1/newcomer/courses/",
        "newcomer-course": "http://testserver/api/v1/newcomer/courses/{code}/",
    }
    assert "k12-lessons" in body["k12"]


def test_the_api_root_is_read_only_and_documented(api_client, openapi_schema):
    assert api_client.post("/api/v1/", {}, format="json").status_code == 405

    operation = openapi_schema["paths"]["/api/v1/"]["get"]
    body_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body_schema["type"] == "object"
    assert body_schema["additionalProperties"]["additionalProperties"] == {"type": "string", "format": "uri"}
