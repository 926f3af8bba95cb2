"""Concurrent double clicks create one row (PostgreSQL: real unique races)."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from employment.fairs import services
from employment.fairs.models import Fair, FairApplication, FairRegistration
from employment.guidance import services as guidance_services
from employment.guidance.models import LiveCourse, LiveRegistration
from tests.factories import UserFactory
from tests.factories import employment as f
from tests.factories import employment_fairs as ff
from tests.factories import employment_guidance as fg

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks and unique races of PostgreSQL",
)


def _race(action, n: int = 6) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(action())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.slow
@on_postgresql
def test_concurrent_applications_from_a_fair_are_one_row_counted_once(committed_db):
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    graduate = f.graduate()
    results = _race(lambda: services.fair_apply(graduate=graduate, fair=fair, job=jobs[0]))
    assert sorted(created for _a, created in results) == [False] * 5 + [True]
    assert FairApplication.objects.count() == 1
    assert Fair.objects.get(pk=fair.pk).application_count == 1


@pytest.mark.slow
@on_postgresql
def test_concurrent_registrations_are_one_row(committed_db):
    fair = ff.fair()
    owner = f.employer()
    job = f.job(owner)
    results = _race(lambda: services.fair_register(actor=owner, fair=fair, jobs=[job]))
    assert len({r.pk for r, _c in results}) == 1
    assert FairRegistration.objects.count() == 1


@pytest.mark.slow
@on_postgresql
def test_concurrent_live_registrations_are_one_row_counted_once(committed_db):
    course = fg.live_course()
    user = UserFactory()
    _race(lambda: guidance_services.live_register(user=user, course=course))
    assert LiveRegistration.objects.count() == 1
    assert LiveCourse.objects.get(pk=course.pk).registration_count == 1
