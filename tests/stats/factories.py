"""Rollup rows with hand-picked numbers, for checking the dashboards and the API against hand sums."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartedu.stats import services
from smartedu.stats.models import (
    ObjectDailyView,
    PlatformDailyView,
    PlatformHourlyView,
    ProvinceDailyView,
    SectionDailyView,
)
from smartedu.stats.periods import _year_before, today
from tests.factories import AdminFactory, province


def admin(**kwargs):
    return AdminFactory(**kwargs)


def provincial_admin(code: str = "45"):
    return AdminFactory(province=province(code), admin_province=province(code))


@pytest.fixture
def history(db):
    """Views of the last three days (see the numbers below; the tests' expectations are sums of them)."""
    from k12.models import Stage, Subject

    t = today()
    d2, d1 = t - timedelta(days=2), t - timedelta(days=1)
    PlatformDailyView.objects.bulk_create(
        [
            PlatformDailyView(day=d2, platform="k12", views=100, visitors=40),
            PlatformDailyView(day=d1, platform="k12", views=300, visitors=90),
            PlatformDailyView(day=t, platform="k12", views=50, visitors=20),
            PlatformDailyView(day=d1, platform="vocational", views=20, visitors=10),
            # a year before yesterday, for year over year
            PlatformDailyView(day=_year_before(d1), platform="k12", views=160, visitors=50),
        ]
    )
    ProvinceDailyView.objects.bulk_create(
        [
            ProvinceDailyView(day=d2, platform="k12", province_code="45", views=60),
            ProvinceDailyView(day=d2, platform="k12", province_code="61", views=30),
            ProvinceDailyView(day=d2, platform="k12", province_code="", views=10),
            ProvinceDailyView(day=d1, platform="k12", province_code="45", views=200),
            ProvinceDailyView(day=d1, platform="k12", province_code="61", views=50),
            ProvinceDailyView(day=d1, platform="k12", province_code="", views=50),
            ProvinceDailyView(day=t, platform="k12", province_code="45", views=50),
            ProvinceDailyView(day=d1, platform="vocational", province_code="61", views=20),
            ProvinceDailyView(day=_year_before(d1), platform="k12", province_code="45", views=160),
        ]
    )
    primary, junior = Stage.objects.get(code="primary"), Stage.objects.get(code="junior")
    chinese, math = Subject.objects.get(code="chinese"), Subject.objects.get(code="math")
    SectionDailyView.objects.bulk_create(
        [
            SectionDailyView(
                day=d1,
                platform="k12",
                section_ref=f"k12.stage:{primary.pk}",
                column_ref=f"k12.subject:{math.pk}",
                views=30,
            ),
            SectionDailyView(
                day=d2,
                platform="k12",
                section_ref=f"k12.stage:{primary.pk}",
                column_ref=f"k12.subject:{chinese.pk}",
                views=10,
            ),
            SectionDailyView(
                day=d2, platform="k12", section_ref=f"k12.stage:{junior.pk}", column_ref="", views=25
            ),
        ]
    )
    tz_hour = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    PlatformHourlyView.objects.bulk_create(
        [
            PlatformHourlyView(hour=tz_hour, platform="k12", views=7),
            PlatformHourlyView(hour=tz_hour, platform="portal", views=3),
        ]
    )
    return {
        "today": t,
        "d1": d1,
        "d2": d2,
        "primary": primary,
        "junior": junior,
        "chinese": chinese,
        "math": math,
    }


@pytest.fixture
def hot_history(history, test_kind):
    from k12.models import StageSubject

    pairs = list(StageSubject.objects.order_by("pk")[:3])
    rows = [
        (pairs[0], 5, history["d1"]),
        (pairs[1], 9, history["d1"]),
        (pairs[1], 4, history["d2"]),
        (pairs[2], 1, history["today"]),
    ]
    ObjectDailyView.objects.bulk_create(
        [
            ObjectDailyView(
                day=day,
                kind=test_kind.key,
                object_id=pair.pk,
                platform="k12",
                section_ref=f"k12.stage:{pair.stage_id}",
                column_ref=f"k12.subject:{pair.subject_id}",
                views=views,
            )
            for pair, views, day in rows
        ]
    )
    # Rows written by hand, not by the flush: the monthly rollup is derived from them as the migration does.
    services.object_monthly_rebuild()
    return pairs
