"""The demo view history: shaped like the launch figures, placed to end yesterday, idempotent."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum

from smartedu.portal.registry import seeders
from smartedu.stats import seed, selectors
from smartedu.stats.models import ObjectDailyView, PlatformDailyView, ProvinceDailyView


def test_the_k12_curve_matches_the_press_figures():
    days = seed.k12_daily_millions()
    assert len(days) == 90
    first_two_weeks, last_two_weeks = days[59:73], days[76:90]  # 1–14 March, 18–31 March
    assert round(sum(first_two_weeks) / 14, 2) == 12.91
    assert round(sum(last_two_weeks) / 14, 2) == 46.19
    assert round(sum(days[59:84]) / 25, 2) == 28.88  # 1–25 March
    assert round(sum(days[59:84])) == 722
    assert max(days) == 64.33
    assert days.index(64.33) == 79  # 21 March
    assert round(sum(last_two_weeks) / sum(first_two_weeks) - 1, 1) == 2.6


def test_split_keeps_the_total():
    assert seed.split(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(seed.split(46_190, [*seed.PROVINCE_SHARE.values(), 0.6])) == 46_190


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--scale", "small", "--no-progress")


def snapshot():
    return (
        list(PlatformDailyView.objects.order_by("day", "platform").values_list("day", "platform", "views")),
        ProvinceDailyView.objects.aggregate(n=Sum("views"))["n"],
        ObjectDailyView.objects.aggregate(n=Sum("views"))["n"],
    )


def test_seed_demo_writes_90_days_ending_yesterday_and_is_idempotent(seeded):
    first = snapshot()
    out = io.StringIO()
    call_command("seed_demo", "--scale", "small", "--no-progress", stdout=out)
    assert snapshot() == first
    # each seeder reports its time and the peak memory so far (what G7's memory figure is read from)
    reported = re.findall(r"^seeded (\S+): \d+ s, peak memory \d+ MiB$", out.getvalue(), re.M)
    assert reported == [seeder.key for seeder in seeders()]
    yesterday = selectors.today() - timedelta(days=1)
    k12 = selectors.daily_views(
        period=selectors.Period(yesterday - timedelta(days=89), yesterday), platform="k12"
    )
    values = list(k12.values())
    assert all(values)
    assert round(sum(values[76:90]) / 14) == 46_190
    assert max(values) == 64_330
    assert PlatformDailyView.objects.filter(day__gt=yesterday).count() == 0
    assert ObjectDailyView.objects.filter(kind__startswith="k12.").exists()


def test_seeded_provinces_are_weighted_like_the_seed(seeded):
    ranking, unknown = selectors.province_ranking(period=selectors.default_period())
    assert [r.code for r in ranking[:5]] == ["45", "61", "62", "15", "53"]
    # provinces come from client addresses: only about 3 % of views stay without one
    total = unknown + sum(r.views for r in ranking)
    assert 0.02 < unknown / total < 0.04


def test_seeded_periods_compare_at_2_6_times(seeded):
    yesterday = selectors.today() - timedelta(days=1)
    a = selectors.Period(yesterday - timedelta(days=30), yesterday - timedelta(days=17))
    b = selectors.Period(yesterday - timedelta(days=13), yesterday)
    comparison = selectors.period_compare(a=a, b=b, platform="k12")
    assert round(comparison.growth, 1) == 2.6


def test_popularity_is_summed_in_rank_order_without_holding_every_object():
    """``_popularity`` reads locations a thousand at a time in rank order and gives what a weight per object
    would give: the total, the weight of each section and column, and the most popular objects."""
    from smartedu.stats import registry as stats_registry

    ids = list(range(1, 2_501))
    ranked = seed._ranked(ids)
    asked: list[int] = []

    def locate(chunk: list[int]) -> dict[int, stats_registry.Location]:
        asked.append(len(chunk))
        return {pk: stats_registry.Location(f"s{pk % 3}", f"c{pk % 2}") for pk in chunk if pk % 5}

    found = seed._popularity(ranked, locate, top=4)
    weights = {pk: 1 / (rank + 5) ** 0.9 for rank, pk in enumerate(ranked)}
    assert asked == [1000, 1000, 500]
    assert found.total == pytest.approx(sum(weights.values()))
    expected: dict[tuple[str, str], float] = {}
    for pk, weight in weights.items():
        if pk % 5:
            place = (f"s{pk % 3}", f"c{pk % 2}")
            expected[place] = expected.get(place, 0) + weight
    assert found.places == pytest.approx(expected)
    assert [pk for pk, _weight, _location in found.top] == sorted(ids, key=lambda pk: -weights[pk])[:4]
    assert all(weight == weights[pk] for pk, weight, _location in found.top)
