"""The monthly object rollup and the rankings read from it (issue 14, G5).

The monthly rows must always be the sums of the daily ones (the flush writes both in the batch's
transaction, a replayed batch is skipped for both), and ``hot_content`` must give exactly what summing every
daily row of the period gives, whatever the period, filter or shape of the figures.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from smartedu.stats import registry, selectors, services
from smartedu.stats.buffer import get_buffer
from smartedu.stats.models import (
    BufferedView,
    ObjectDailyView,
    ObjectMonthlyView,
    ProcessedBatch,
    SectionDailyView,
)
from smartedu.stats.periods import Period, month_start, period_split
from smartedu.stats.viewers import Viewer
from tests.stats.conftest import BROWSER_UA, EMBEDDED, TEST_KIND


def monthly_from_daily() -> dict[tuple[date, str, int], int]:
    sums: dict[tuple[date, str, int], int] = defaultdict(int)
    for day, kind, object_id, views in ObjectDailyView.objects.values_list(
        "day", "kind", "object_id", "views"
    ):
        sums[(month_start(day), kind, object_id)] += views
    return dict(sums)


def monthly_rows() -> dict[tuple[date, str, int], int]:
    return {
        (month, kind, object_id): views
        for month, kind, object_id, views in ObjectMonthlyView.objects.values_list(
            "month", "kind", "object_id", "views"
        )
    }


# --- The flush ------------------------------------------------------------------------------------------


def _view(object_id: int, when: datetime, n: int = 1) -> None:
    kind = registry.get_kind(TEST_KIND)
    for i in range(n):
        services.views_record(
            items=[services.ViewedItem(kind, object_id)],
            viewer=Viewer(None, "45", f"a{object_id:08d}{when:%d%H}{i:04d}", "monthly-test"),
            user_agent=BROWSER_UA,
            when=when,
        )


def _replant(batch_id: str, object_id: int, views: int) -> None:
    """Put an applied batch of object views back into the buffer, as a crash after the commit would."""
    buffer = get_buffer()
    if EMBEDDED:
        bucket = datetime.fromtimestamp(int(batch_id.split("-")[0]), tz=UTC)
        BufferedView.objects.bulk_create(
            [
                BufferedView(
                    bucket=bucket, kind=TEST_KIND, object_id=object_id, province_code="45", batch_id=batch_id
                )
                for _ in range(views)
            ]
        )
    else:
        key = buffer._batch_key(batch_id)
        buffer.redis.hset(key, f"{TEST_KIND}|{object_id}|45", views)
        buffer.redis.sadd(buffer.batches_key, key)


@pytest.mark.usefixtures("committed_db")
def test_the_months_are_the_sums_of_their_days_across_a_month_boundary_and_a_replayed_batch(test_kind):
    from k12.models import StageSubject

    first, second = StageSubject.objects.order_by("pk")[:2]
    tz = timezone.get_current_timezone()
    # given views on both sides of midnight between 31 January and 1 February (local time), and later
    last_of_january = datetime(2026, 1, 31, 23, 30, tzinfo=tz)
    first_of_february = datetime(2026, 2, 1, 0, 30, tzinfo=tz)
    _view(first.pk, last_of_january, 3)
    _view(first.pk, first_of_february, 2)
    _view(second.pk, first_of_february, 1)
    _view(second.pk, datetime(2026, 2, 14, 12, 0, tzinfo=tz), 4)
    # when they are flushed
    result = services.view_counts_flush()
    # then each month holds the views of its own days only
    assert result.batches == 3
    january, february = date(2026, 1, 1), date(2026, 2, 1)
    expected = {
        (january, TEST_KIND, first.pk): 3,
        (february, TEST_KIND, first.pk): 2,
        (february, TEST_KIND, second.pk): 5,
    }
    assert monthly_rows() == monthly_from_daily() == expected
    month = ObjectMonthlyView.objects.get(month=february, object_id=second.pk)
    assert (month.platform, month.section_ref, month.column_ref) == (
        "k12",
        f"k12.stage:{second.stage_id}",
        f"k12.subject:{second.subject_id}",
    )
    # when the batch of 1 February comes back (a crash after its commit) and is flushed again
    batch_id = min(
        ProcessedBatch.objects.values_list("batch_id", flat=True),
        key=lambda b: abs(int(b.split("-")[0]) - first_of_february.timestamp()),
    )
    _replant(batch_id, first.pk, 2)
    replay = services.view_counts_flush()
    # then it is skipped: neither the days nor the months count it twice
    assert (replay.batches, replay.skipped_batches) == (0, 1)
    assert monthly_rows() == monthly_from_daily() == expected


@pytest.mark.usefixtures("committed_db")
def test_a_flush_of_the_next_month_adds_to_it_and_leaves_the_last_one_alone(test_kind):
    from k12.models import StageSubject

    pair = StageSubject.objects.order_by("pk").first()
    tz = timezone.get_current_timezone()
    _view(pair.pk, datetime(2026, 3, 31, 22, 0, tzinfo=tz), 2)
    services.view_counts_flush()
    _view(pair.pk, datetime(2026, 3, 31, 23, 59, tzinfo=tz), 1)
    _view(pair.pk, datetime(2026, 4, 1, 0, 0, tzinfo=tz), 5)
    services.view_counts_flush()
    assert monthly_rows() == monthly_from_daily()
    assert monthly_rows() == {
        (date(2026, 3, 1), TEST_KIND, pair.pk): 3,
        (date(2026, 4, 1), TEST_KIND, pair.pk): 5,
    }


# --- The rebuild ----------------------------------------------------------------------------------------


def _rows(day: date, views: dict[tuple[str, int], int]) -> list[dict]:
    return [
        {
            "day": day,
            "kind": kind,
            "object_id": object_id,
            "platform": kind.split(".")[0],
            "section_ref": f"k12.stage:{object_id % 3}",
            "column_ref": f"k12.subject:{object_id % 5}",
            "views": n,
        }
        for (kind, object_id), n in views.items()
    ]


def test_the_rebuild_command_derives_the_months_from_rows_written_by_hand(db):
    # given daily rows written without the flush (as before the monthly rollup existed), and a stale month
    ObjectDailyView.objects.bulk_create(
        ObjectDailyView(**row)
        for day in (date(2026, 5, 30), date(2026, 5, 31), date(2026, 6, 1))
        for row in _rows(day, {("k12.lesson", 1): 4, ("k12.lesson", 2): 1})
    )
    ObjectMonthlyView.objects.create(month=date(2026, 7, 1), kind="k12.lesson", object_id=9, views=99)
    # when
    call_command("stats_rollups_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    assert monthly_rows() == monthly_from_daily()
    assert monthly_rows()[(date(2026, 5, 1), "k12.lesson", 1)] == 8


# --- Rankings: the same answers as summing every daily row ----------------------------------------------

KINDS = ["k12.lesson", "k12.resource", "vocational.course", "higher_ed.course", "employment.job"]


def _load(days: list[date], per_day: int, skew: float, seed: int) -> None:
    """Zipf-like figures: a third of the objects viewed every day, the rest changing from day to day."""
    rng = random.Random(seed)
    for n, day in enumerate(days):
        views: dict[tuple[str, int], int] = {}
        for rank in range(per_day):
            object_id = rank if rank < per_day // 3 else (rank * 7 + n * 13) % (3 * per_day)
            kind = KINDS[object_id % len(KINDS)]
            views[(kind, object_id)] = max(1, round(1000 / (rank + 1) ** skew * rng.uniform(0.7, 1.3)))
        _add(day, views)


def _add(day: date, views: dict[tuple[str, int], int]) -> None:
    """Object rows through the flush's own writer (days and months), and their section sums."""
    rows = _rows(day, views)
    services.object_views_add(rows=rows)
    sections: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        sections[(row["platform"], row["section_ref"], row["column_ref"])] += row["views"]
    SectionDailyView.objects.bulk_create(
        SectionDailyView(day=day, platform=p, section_ref=s, column_ref=c, views=n)
        for (p, s, c), n in sections.items()
    )


def brute_force(period: Period, platform: str | None, section: str | None, limit: int) -> list[tuple]:
    """What ``hot_content`` answered before the monthly rollup: every daily row of the period, summed."""
    totals: dict[tuple[str, int], int] = defaultdict(int)
    rows = ObjectDailyView.objects.filter(day__range=(period.start, period.end))
    for kind, object_id, row_platform, section_ref, column_ref, views in rows.values_list(
        "kind", "object_id", "platform", "section_ref", "column_ref", "views"
    ):
        if platform and row_platform != platform:
            continue
        if section and section not in (section_ref, column_ref):
            continue
        totals[(kind, object_id)] += views
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [(kind, object_id, views) for (kind, object_id), views in ordered[:limit]]


def ranked(items: list[selectors.HotItem]) -> list[tuple]:
    return [(i.kind, i.object_id, i.views) for i in items]


@pytest.fixture
def five_months(db):
    days = [date(2026, 1, 27) + timedelta(days=n) for n in range(0, 130, 3)]
    _load(days, per_day=60, skew=1.1, seed=14)
    return days


PERIODS = [
    Period(date(2026, 1, 27), date(2026, 6, 5)),  # four whole months and two edges
    Period(date(2026, 2, 1), date(2026, 3, 31)),  # whole months only
    Period(date(2026, 2, 10), date(2026, 3, 20)),  # across one boundary: no whole month
    Period(date(2026, 3, 4), date(2026, 3, 4)),  # one day
    Period(date(2026, 2, 15), date(2026, 5, 15)),  # 90 days
    Period(date(2025, 6, 1), date(2026, 5, 31)),  # a year, half of it empty
]


FILTERS = [
    (None, None, 20),
    ("k12", None, 5),
    ("vocational", None, 1),
    (None, "k12.stage:1", 7),  # a section
    ("k12", "k12.subject:2", 20),  # a column
    (None, None, 100),
]


def test_hot_content_equals_the_sum_of_every_daily_row(five_months):
    # One data set for every case: loading it is most of the cost.
    for period in PERIODS:
        for platform, section, limit in FILTERS:
            expected = brute_force(period, platform, section, limit)
            answer = selectors.hot_content(period=period, platform=platform, section=section, limit=limit)
            assert ranked(answer) == expected, (period, platform, section, limit)


def test_the_hot_page_lists_equal_the_sums_of_every_daily_row(five_months):
    period = PERIODS[0]
    by_platform = selectors.hot_content_by_platform(period=period, limit=8)
    for platform, items in by_platform.items():
        assert ranked(items) == brute_force(period, platform, None, 8), platform
        assert [i.rank for i in items] == list(range(1, len(items) + 1))


def test_flat_figures_fall_back_to_summing_every_row_and_stay_exact(db, monkeypatch):
    # given figures so flat that the part rankings can never prove a top (every object ties)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 100, 2)]
    for day in days:
        _add(day, {("k12.lesson", pk): 2 for pk in range(30)})
    monkeypatch.setattr(selectors, "RANKING_MIN_DEPTH", 2)
    period = Period(days[0], days[-1])
    assert ranked(selectors.hot_content(period=period, platform="k12", limit=5)) == brute_force(
        period, "k12", None, 5
    )


def test_shallow_rankings_deepen_until_the_top_is_proven(five_months, monkeypatch):
    # given part rankings only as deep as the limit, too shallow to prove a top of 10
    monkeypatch.setattr(selectors, "RANKING_MIN_DEPTH", 1)
    monkeypatch.setattr(selectors, "RANKING_DEPTHS", (1, 25))
    depths: list[int] = []
    rankings = selectors._part_rankings

    def spy(parts, platforms, depth):
        depths.append(depth)
        return rankings(parts, platforms, depth)

    monkeypatch.setattr(selectors, "_part_rankings", spy)
    period = PERIODS[4]
    # when / then: the second, deeper round proves it, and the answer is still the exact one
    assert ranked(selectors.hot_content(period=period, limit=10)) == brute_force(period, None, None, 10)
    assert depths == [10, 250]


def test_a_period_splits_into_whole_months_and_edges():
    split = period_split(Period(date(2026, 1, 27), date(2026, 6, 5)))
    assert split.months == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert split.edges == [
        Period(date(2026, 1, 27), date(2026, 1, 31)),
        Period(date(2026, 6, 1), date(2026, 6, 5)),
    ]
    within = Period(date(2026, 2, 10), date(2026, 3, 20))
    assert period_split(within).months == []
    assert period_split(within).edges == [within]
    whole = period_split(Period(date(2024, 2, 1), date(2024, 2, 29)))  # a leap February
    assert (whole.months, whole.edges) == ([date(2024, 2, 1)], [])


def test_a_columns_top_sums_the_columns_own_rows_and_a_sections_is_ranked(five_months, monkeypatch):
    """A column's top is the sum of its own rows, read from its covering index (a column is small, and its
    part rankings rarely prove a top: at the seed's volume they took 0.3–1.4 s where the sum takes 40–70
    ms); a section's is still ranked. Neither scans a section's rows for a column's (that took 9–12 s)."""
    from django.test.utils import CaptureQueriesContext

    period = PERIODS[0]
    rankings = selectors._part_rankings
    ranked_parts: list[int] = []

    def spy(parts, groups, depth):
        ranked_parts.append(len(parts))
        return rankings(parts, groups, depth)

    monkeypatch.setattr(selectors, "_part_rankings", spy)
    with CaptureQueriesContext(connection) as queries:
        answer = selectors._hot_content(period=period, platform="k12", section="k12.subject:2", limit=20)
    assert ranked(answer) == brute_force(period, "k12", "k12.subject:2", 20)
    assert ranked_parts == []
    statements = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"column_ref" = ' in statements
    assert SectionDailyView._meta.db_table not in statements

    answer = selectors._hot_content(period=period, platform=None, section="k12.stage:1", limit=7)
    assert ranked(answer) == brute_force(period, None, "k12.stage:1", 7)
    assert ranked_parts


def test_a_period_that_ends_on_the_last_day_with_rows_reads_that_month_whole():
    # June 5th is today: no view can be counted on a later day of June
    split = period_split(Period(date(2026, 1, 27), date(2026, 6, 5)), data_end=date(2026, 6, 5))
    assert split.months[-1] == date(2026, 6, 1)
    assert split.edges == [Period(date(2026, 1, 27), date(2026, 1, 31))]
    # a period that stops before today still reads its last days one by one
    earlier = period_split(Period(date(2026, 1, 27), date(2026, 6, 4)), data_end=date(2026, 6, 5))
    assert earlier.months[-1] == date(2026, 5, 1)
    assert earlier.edges[-1] == Period(date(2026, 6, 1), date(2026, 6, 4))
    # a period inside the current month has no whole month
    current = Period(date(2026, 6, 2), date(2026, 6, 5))
    assert period_split(current, data_end=date(2026, 6, 5)).edges == [current]


def test_rankings_of_periods_ending_today_stay_exact(five_months, monkeypatch):
    # given the fixture's last day (June 5th) is today: June's monthly row holds June 1st to 5th
    monkeypatch.setattr(selectors, "today", lambda: five_months[-1])
    assert five_months[-1] == date(2026, 6, 5)
    for period in [
        PERIODS[0],
        Period(date(2026, 3, 8), date(2026, 6, 5)),
        Period(date(2026, 6, 1), date(2026, 6, 5)),
    ]:
        for platform, section, limit in FILTERS:
            expected = brute_force(period, platform, section, limit)
            answer = selectors._hot_content(period=period, platform=platform, section=section, limit=limit)
            assert ranked(answer) == expected, (period, platform, section, limit)


def test_a_long_edge_is_bounded_by_its_month_when_that_is_tighter(db, monkeypatch):
    # given two strong objects every day, an object viewed only in February (third place), and each day of
    # January two tail objects seen that day alone: every January day's list of four ends with a tail
    # object, so day by day the edge's bound is 30 of those figures, more than the third place has
    heads = {("k12.lesson", 1): 100, ("k12.lesson", 2): 90}
    for n in range(31):
        day = date(2026, 1, 1) + timedelta(days=n)
        _add(day, {**heads, ("k12.lesson", 100 + 2 * n): 8, ("k12.lesson", 101 + 2 * n): 7})
    for n in range(28):
        _add(date(2026, 2, 1) + timedelta(days=n), {**heads, ("k12.lesson", 3): 5})
    monkeypatch.setattr(selectors, "RANKING_MIN_DEPTH", 4)
    monkeypatch.setattr(selectors, "RANKING_DEPTHS", (1, 25))
    depths: list[int] = []
    rankings = selectors._part_rankings

    def spy(parts, groups, depth):
        depths.append(depth)
        return rankings(parts, groups, depth)

    monkeypatch.setattr(selectors, "_part_rankings", spy)
    period = Period(date(2026, 1, 2), date(2026, 2, 28))  # January 2nd to 31st is an edge
    # when / then: January's own list (its fourth object has 8 views in the month) proves the top at once
    answer = selectors._hot_content(period=period, platform="k12", section=None, limit=3)
    assert ranked(answer) == brute_force(period, "k12", None, 3)
    assert [object_id for _kind, object_id, _views in ranked(answer)] == [1, 2, 3]
    assert depths == [4]
