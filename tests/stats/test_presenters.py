"""How the dashboards show their figures: 万/亿, and today's partial day marked as such."""

from datetime import timedelta

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_whole_numbers_are_grouped_as_intcomma_groups_them(language):
    with override(language):
        grouped = presenters.whole_number_format()
        for value in [0, 7, 999, 1000, 12345, 123456, 1234567, 36500000, -1234567, 10**12 + 1]:
            assert grouped(value) == intcomma(value), value


def test_table_rows_are_escaped_html_with_links_and_the_partial_day():
    table = presenters.Table(
        "t",
        "caption",
        ["Day", "Title", "Views"],
        [["2026-11-25", "<b>x</b>", 1234], ["2026-11-26", "y & z", None]],
        links=["/a?b=1&c=2", ""],
        partial_last=True,
    )
    with override("en"):
        html = str(table.html_rows())
    assert html == (
        '<tr><th scope="row">2026-11-25</th><td><a href="/a?b=1&amp;c=2">&lt;b&gt;x&lt;/b&gt;</a></td>'
        '<td class="num">1,234</td></tr>\n'
        '<tr><th scope="row">2026-11-26 <small class="partial-day">(today, so far)</small></th>'
        "<td>y &amp; z</td><td>—</td></tr>"
    )
