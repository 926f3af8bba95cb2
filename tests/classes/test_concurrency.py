"""Twenty simultaneous joins of one student create one membership (a unique constraint, not a check)."""

import pytest
from django.db import connection

from smartedu.classes import services
from smartedu.classes.models import Membership
from tests.factories.learning import THREADS, ClassFactory, run_together, student

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)


def test_twenty_concurrent_joins_make_one_membership(committed_db):
    klass = ClassFactory()
    pupil = student()
    results, errors = run_together(lambda: services.class_join(user=pupil, code=klass.code))
    assert errors == []
    assert len(results) == THREADS
    assert Membership.objects.filter(klass=klass, student=pupil).count() == 1
    assert sum(created for _membership, created in results) == 1
    assert len({membership.pk for membership, _created in results}) == 1
