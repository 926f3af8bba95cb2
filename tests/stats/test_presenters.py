"""How the dashboards show their figures: 万/亿, and today's partial day marked as such."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import override

from smartedu.stats import presenters
from smartedu.stats.periods import Period


def _trend(end_offset: int) -> presenters.Panel:
    today = timezone.localdate()
    period = Period(today - timedelta(days=2 + end_offset), today - timedelta(days=end_offset))
    series = {"k12": dict.fromkeys(period.dates(), 1000)}
    with override("en"):
        return presenters.trend(series, period)


def test_a_period_that_ends_today_marks_todays_point_and_row_as_partial():
    panel = _trend(0)
    chart = panel.charts[0].as_json()
    assert chart["partialLast"] is True
    assert chart["x"][-1].endswith("(today, so far)")
    assert panel.tables[0].partial_last is True
    assert panel.tables[0].rows[-1][0] == timezone.localdate().isoformat()  # the CSV keeps the bare date


def test_a_period_in_the_past_has_no_partial_day():
    panel = _trend(3)
    assert panel.charts[0].as_json()["partialLast"] is False
    assert panel.tables[0].partial_last is False
