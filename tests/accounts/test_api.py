import pytest

from smartedu.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REGISTER_URL = "/api/v1/accounts/register/"
ME_URL = "/api/v1/accounts/me/"


def test_token_for_good_credentials_authenticates_later_requests(api_client):
    UserFactory(username="amy")
    response = api_client.post(TOKEN_URL, {"username": "amy", "password": "correct horse battery"})
    assert response.status_code == 200
    assert response.json()["expiry"]
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(ME_URL).json()["username"] == "amy"


def test_token_wrong_password_is_400_with_message(api_client):
    UserFactory(username="amy")
    response = api_client.post(TOKEN_URL, {"username": "amy", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_token_missing_fields_are_named(api_client):
    response = api_client.post(TOKEN_URL, {})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_token_lockout_after_repeated_failures_is_not_a_500(api_client, settings):
    UserFactory(username="amy")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN_URL, {"username": "amy", "password": "wrong"})
    response = api_client.post(TOKEN_URL, {"username": "amy", "password": "correct horse battery"})
    assert response.status_code in (403, 429)


def test_register_api_creates_account(api_client):
    response = api_client.post(
        REGISTER_URL,
        {
            "username": "neo",
            "email": "neo@example.org",
            "password": "Lantern-river-42",
            "role": "employer",
            "province": "44",
            "institution": "某公司",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "employer"
    assert body["province"]["code"] == "44"
    assert body["is_approved"] is False
    assert "password" not in body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "Taken"}, "username"),
        ({"password": "12345678"}, "password"),
        ({"email": "bad"}, "email"),
        ({"role": "admin"}, "role"),
        ({"province": "99"}, "province"),
    ],
)
def test_register_api_bad_input_is_400_with_field_messages(api_client, change, field):
    UserFactory(username="taken")
    data = {"username": "neo", "email": "neo@example.org", "password": "Lantern-river-42", "role": "student"}
    response = api_client.post(REGISTER_URL, {**data, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(username="neo").exists()


def test_me_requires_authentication(api_client):
    assert api_client.get(ME_URL).status_code in (401, 403)


def test_me_patch_updates_profile_and_rejects_bad_email(api_client):
    user = UserFactory(role=Role.TEACHER)
    api_client.force_authenticate(user)
    response = api_client.patch(ME_URL, {"institution": "北京四中", "province": "11"})
    assert response.status_code == 200
    assert response.json()["institution"] == "北京四中"
    assert api_client.patch(ME_URL, {"email": "nope"}).status_code == 400
    user.refresh_from_db()
    assert user.institution == "北京四中"


def test_provinces_are_paginated_and_filterable(api_client):
    body = api_client.get("/api/v1/provinces/", {"page_size": 10}).json()
    assert body["count"] == 31
    assert len(body["results"]) == 10
    assert body["next"]
    assert body["previous"] is None
    only = api_client.get("/api/v1/provinces/", {"code": "45"}).json()
    assert [p["short_name"] for p in only["results"]] == ["广西"]


def test_unknown_api_path_is_404(api_client):
    assert api_client.get("/api/v1/nothing-here/").status_code == 404
