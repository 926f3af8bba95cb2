"""Issue 7.16: API tokens are stored hashed, expire, and are revoked on password change and on request."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from smartedu.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
ME_URL = "/api/v1/accounts/me/"
GOOD = "correct horse battery"


def _token(api_client, username="amy") -> str:
    response = api_client.post(TOKEN_URL, {"username": username, "password": GOOD})
    assert response.status_code == 200
    return response.json()["token"]


def _me(api_client, token: str) -> int:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api_client.get(ME_URL).status_code
    api_client.credentials()
    return status


@pytest.fixture
def amy():
    return UserFactory(username="amy")


def test_only_a_hash_of_the_token_is_stored(api_client, amy):
    key = _token(api_client)
    stored = AuthToken.objects.get(user=amy)
    assert key not in stored.digest
    assert len(stored.digest) == 128  # SHA-512
    assert not apps.is_installed("rest_framework.authtoken")


def test_tokens_expire_after_api_token_ttl_days(api_client, amy, settings):
    response = api_client.post(TOKEN_URL, {"username": "amy", "password": GOOD})
    expiry = AuthToken.objects.get(user=amy).expiry
    assert timedelta(days=29, hours=23) < expiry - timezone.now() <= timedelta(days=30)
    assert response.json()["expiry"]
    AuthToken.objects.filter(user=amy).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _me(api_client, response.json()["token"]) == 401


def test_revoke_signs_out_that_token_only(api_client, amy):
    first, second = _token(api_client), _token(api_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.post(REVOKE_URL).status_code == 204
    api_client.credentials()
    assert _me(api_client, first) == 401
    assert _me(api_client, second) == 200


def test_revoke_needs_a_token(api_client, amy):
    assert api_client.post(REVOKE_URL).status_code == 401
    api_client.force_login(amy)  # a session is not a token
    assert api_client.post(REVOKE_URL).status_code in (401, 403)


def test_a_password_change_revokes_every_token(api_client, amy):
    key = _token(api_client)
    amy.set_password("A-new-pass-2049")
    amy.save()
    assert _me(api_client, key) == 401
    assert not AuthToken.objects.filter(user=amy).exists()


def test_a_password_set_in_the_django_admin_revokes_every_token(api_client, client, amy):
    key = _token(api_client)
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[amy.pk]),
        {"password1": "A-new-pass-2049", "password2": "A-new-pass-2049", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _me(api_client, key) == 401


def test_other_users_tokens_survive_a_password_change(api_client, amy):
    UserFactory(username="bob")
    bob_key = _token(api_client, "bob")
    amy.set_password("A-new-pass-2049")
    amy.save()
    assert _me(api_client, bob_key) == 200
