"""Issue 7.10: deeply nested JSON gives 400, never a 500; the API takes JSON bodies only."""

import pytest
from django.conf import settings

from smartedu.portal.parsers import MAX_JSON_DEPTH, json_depth_exceeds, json_loads_limited

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/accounts/register/", "/api/v1/auth/token/", "/api/v1/accounts/me/"])
def test_100000_deep_json_is_a_400(client, url):
    response = client.generic(
        "POST" if "me" not in url else "PATCH", url, DEEP, content_type="application/json"
    )
    assert response.status_code in (400, 401, 403)
    if "me" not in url:
        assert response.status_code == 400
        assert "detail" in response.json()


def test_deep_json_to_an_authenticated_endpoint_is_a_400(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    body = '{"first_name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.patch("/api/v1/accounts/me/", body, content_type="application/json")
    assert response.status_code == 400


def test_nesting_just_inside_the_limit_parses():
    value = json_loads_limited("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert not json_depth_exceeds(value, MAX_JSON_DEPTH)
    with pytest.raises(ValueError, match="deeply"):
        json_loads_limited("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))


def test_nan_and_infinity_are_refused():
    with pytest.raises(ValueError, match="NaN"):
        json_loads_limited('{"a": NaN}')


def test_form_and_multipart_bodies_are_refused_with_415(client):
    response = client.post("/api/v1/accounts/register/", {"username": "x"})  # multipart
    assert response.status_code == 415
    assert settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] == ["smartedu.portal.parsers.JSONParser"]


def test_the_schema_declares_one_content_type_per_body(openapi_schema):
    schema = openapi_schema
    for path in ("/api/v1/accounts/register/", "/api/v1/auth/token/"):
        assert list(schema["paths"][path]["post"]["requestBody"]["content"]) == ["application/json"]
