"""Precompiled querysets (smartedu/portal/precompiled.py): the ORM's statement and rows, built once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smartedu.accounts.models import User
from smartedu.portal.precompiled import Precompiled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields(user: User) -> dict[str, object]:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_rows_are_the_orms_rows_with_the_backends_conversions():
    user = UserFactory(username="李雷", last_login=timezone.now() - timedelta(days=3))
    by_name = Precompiled(lambda name: User.objects.filter(username=name), name=str)
    found = by_name.first(name="李雷")
    assert fields(found) == fields(User.objects.get(pk=user.pk))
    assert timezone.is_aware(found.last_login)  # SQLite sends text: converted as the ORM does
    assert found._state.db == "default"
    assert not found._state.adding
    assert by_name.first(name="韩梅梅") is None


def test_it_sends_the_orms_statement_and_only_compiles_once():
    users = UserFactory.create_batch(3)
    newest_from = Precompiled(lambda low: User.objects.filter(pk__gte=low).order_by("-pk"), low=int)
    with CaptureQueriesContext(connection) as orm:
        expected = list(User.objects.filter(pk__gte=users[1].pk).order_by("-pk"))
    with CaptureQueriesContext(connection) as ours:
        assert newest_from.all(low=users[1].pk) == expected
    assert [q["sql"] for q in ours] == [q["sql"] for q in orm]
    # New values, no new statement text: a different answer from the same compiled SQL.
    assert newest_from.all(low=users[2].pk) == [users[2]]
    assert len(newest_from._built) == 1


def test_exists_and_annotations():
    user = UserFactory()
    by_pk = Precompiled(lambda pk: User.objects.filter(pk=pk).annotate(twice=F("id") * 2), pk=int)
    assert by_pk.first(pk=user.pk).twice == user.pk * 2
    assert by_pk.exists(pk=user.pk) is True
    assert by_pk.exists(pk=user.pk + 1000) is False


def test_values_are_checked_for_name_and_type():
    by_pk = Precompiled(lambda pk: User.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="pk"):
        by_pk.first(pk="1")
    with pytest.raises(TypeError):
        by_pk.first(id=1)
    with pytest.raises(ImproperlyConfigured):
        Precompiled(lambda when: User.objects.filter(date_joined__gte=when), when=float)


@pytest.mark.parametrize(
    "build",
    [
        # The stand-in is rewritten by the lookup ('%…%'): it never reaches the parameters as sent.
        lambda name: User.objects.filter(username__icontains=name),
        # A parameter the statement does not use.
        lambda name: User.objects.filter(username="fixed"),
        # Prefetched rows are other statements.
        lambda name: User.objects.filter(username=name).prefetch_related("groups"),
    ],
    ids=["rewritten", "unused", "prefetch_related"],
)
def test_what_it_cannot_keep_is_refused_at_the_first_call(build):
    refused = Precompiled(build, name=str)
    with pytest.raises(ImproperlyConfigured):
        refused.first(name="x")


def test_rows_of_a_values_list_come_in_the_order_it_names_them():
    user = UserFactory(username="李雷", last_login=timezone.now())
    named = Precompiled(
        lambda pk: (
            User.objects.filter(pk=pk)
            .annotate(twice=F("id") * 2)
            .values_list("twice", "last_login", "username")
        ),
        pk=int,
    )
    [(twice, last_login, username)] = named.rows(pk=user.pk)
    assert (twice, username) == (user.pk * 2, "李雷")
    assert timezone.is_aware(last_login)  # converted as the ORM converts it
    assert named.rows(pk=user.pk + 1000) == []
    with pytest.raises(ImproperlyConfigured):
        named.all(pk=user.pk)


def test_select_related_objects_come_with_the_row(django_assert_num_queries):
    from tests.factories import province

    guangdong = province("44")
    with_province = UserFactory(username="韩梅梅", province=guangdong)
    without = UserFactory(username="李雷", province=None)
    named = Precompiled(
        lambda low: User.objects.filter(pk__gte=low).select_related("province").order_by("pk"), low=int
    )
    with django_assert_num_queries(1):
        found = named.all(low=min(with_province.pk, without.pk))
        by_name = {user.username: user for user in found}
        assert by_name["韩梅梅"].province == guangdong
        assert by_name["韩梅梅"].province.name == guangdong.name
        assert by_name["李雷"].province is None
