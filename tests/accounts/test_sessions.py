"""Sessions are Django's database sessions, read with one precompiled statement
(smartedu/accounts/sessions.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from smartedu.accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "smartedu.accounts.sessions"


def test_it_reads_what_djangos_store_wrote_and_the_other_way_round():
    theirs = DjangoStore()
    theirs["cart"] = "会计学原理"
    theirs.save()
    assert SessionStore(theirs.session_key)["cart"] == "会计学原理"
    ours = SessionStore()
    ours["step"] = 3
    ours.save()
    assert DjangoStore(ours.session_key)["step"] == 3


def test_an_expired_session_is_no_session(django_assert_num_queries):
    store = SessionStore()
    store["step"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    with django_assert_num_queries(1):
        assert again.load() == {}
    assert again.session_key is None


@pytest.mark.parametrize("key", ["", "short", "no-such-session-key-at-all"])
def test_a_missing_or_invalid_key_is_no_session(key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_signed_in_page_reads_the_session_with_one_query(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/me/")
    with django_assert_num_queries(2):  # the session and the user
        response = client.get("/me/")
    assert response.status_code == 200
    assert response.context["user"] == user
