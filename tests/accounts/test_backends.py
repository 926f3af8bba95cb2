"""The account backend (smartedu/accounts/backends.py): Django's rules, the user read by a precompiled
statement; sessions that name Django's backend stay signed in."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session

from smartedu.accounts import backends
from smartedu.accounts.models import User
from smartedu.accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    request = client.get("/me/").wsgi_request  # a redirect to the login page when signed out
    return request.user


def test_signing_in_records_the_projects_backend(client):
    user = UserFactory(username="wanglei")
    user.set_password("Zhongguo-2026!")
    user.save()
    response = client.post("/accounts/login/", {"username": "wanglei", "password": "Zhongguo-2026!"})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == backends.PATH
    assert signed_in_user(client) == user


def test_a_session_naming_djangos_backend_stays_signed_in_and_is_not_rewritten(client):
    user = UserFactory()
    client.force_login(user, backend=backends.LEGACY_PATH)
    key = client.cookies["sessionid"].value
    stored = Session.objects.get(session_key=key).session_data
    assert SessionStore(key)[BACKEND_SESSION_KEY] == backends.PATH
    assert signed_in_user(client) == user
    assert Session.objects.get(session_key=key).session_data == stored  # a page view writes nothing


def test_a_session_naming_another_backend_is_signed_out(client):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.RemoteUserBackend")
    assert not signed_in_user(client).is_authenticated


def test_a_deactivated_or_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not signed_in_user(client).is_authenticated
    other = UserFactory()
    client.force_login(other)
    other.delete()
    assert not signed_in_user(client).is_authenticated


def test_a_password_change_elsewhere_still_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    user.set_password("Another-Secret-2026")
    user.save()
    assert not signed_in_user(client).is_authenticated


def test_get_user_reads_every_field_and_refuses_a_bad_id(django_assert_num_queries):
    user = UserFactory(first_name="磊")
    with django_assert_num_queries(1):
        found = backends.ModelBackend().get_user(user.pk)
    assert found == user
    assert found.first_name == "磊"
    assert found.username == user.username
    assert backends.ModelBackend().get_user("not-a-number") is None
    assert backends.ModelBackend().get_user(user.pk + 10_000) is None
