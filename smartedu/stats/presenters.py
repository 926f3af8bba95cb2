"""The dashboards' tables and charts as plain data, built from the selectors.

A ``Table`` holds raw values (numbers stay numbers, a missing value is None): the page shows it through
``cells()``, the CSV export writes the same rows (``exports.py``), and ECharts draws the ``Chart`` made from
the same values. Views only pick a presenter and render what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from smartedu.stats import registry, selectors
from smartedu.stats.periods import Period

Value = str | int | float | None


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    numeric: bool = False


def whole_number_format() -> Callable[[int], str]:
    """``intcomma`` for whole numbers in the active language, with the language's format read once.

    ``intcomma`` looks the format up again for every number: a year of daily rows is 2,500 of them.
    """
    separator = str(get_format("THOUSAND_SEPARATOR"))
    grouping = get_format("NUMBER_GROUPING")
    if not isinstance(grouping, int):  # a sequence of group sizes (Indian style): leave it to Django
        return intcomma
    if not separator or grouping <= 0:
        return str

    def grouped(value: int) -> str:
        digits = str(abs(value))
        head = len(digits) % grouping or grouping
        groups = [digits[:head], *(digits[i : i + grouping] for i in range(head, len(digits), grouping))]
        return ("-" if value < 0 else "") + separator.join(groups)

    return grouped


@dataclass
class Table:
    """A data table: rendered in the page, exported as CSV (``?export=<key>``), drawn by a chart."""

    key: str
    caption: str
    header: list[str]
    rows: list[list[Value]]
    links: list[str] = field(default_factory=list)  # a link for each row, on the cell ``link_column``
    link_column: int = 1
    chart: str = ""
    # The last row is today's, still counting: the page marks it (the CSV keeps the bare date).
    partial_last: bool = False

    def cells(self) -> list[list[Cell]]:
        """The rows as the page shows them: numbers grouped by thousands, a dash for a missing value."""
        grouped = whole_number_format()
        shown = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, value in enumerate(row):
                href = self.links[r] if self.links and c == self.link_column else ""
                if value is None:
                    cells.append(Cell("—", href))
                elif isinstance(value, bool) or not isinstance(value, int | float):
                    cells.append(Cell(str(value), href))
                else:
                    text = grouped(value) if isinstance(value, int) else intcomma(value)
                    cells.append(Cell(text, href, numeric=True))
            shown.append(cells)
        return shown

    def html_rows(self) -> SafeString:
        """The body rows as HTML, built here rather than cell by cell in the template: a year of daily
        rows is 2,500 cells, which the template engine took a quarter of a second to render (issue 14)."""
        rows = self.cells()
        partial = format_html(' <small class="partial-day">{}</small>', _("(today, so far)"))
        shown = []
        for r, row in enumerate(rows):
            html = []
            for c, cell in enumerate(row):
                text = (
                    format_html('<a href="{}">{}</a>', cell.href, cell.text)
                    if cell.href
                    else escape(cell.text)
                )
                if c == 0:
                    note = partial if self.partial_last and r == len(rows) - 1 else ""
                    html.append(f'<th scope="row">{text}{note}</th>')
                else:
                    html.append(f'<td class="num">{text}</td>' if cell.numeric else f"<td>{text}</td>")
            shown.append("<tr>" + "".join(html) + "</tr>")
        # Every piece above was escaped by ``escape`` or ``format_html``.
        return mark_safe("\n".join(shown))  # noqa: S308


@dataclass
class Chart:
    key: str
    kind: str  # "line" or "bar"
    title: str
    x: list[str]
    series: list[dict[str, Any]]
    zoom: bool = False

    # The last point is today's, still counting: drawn dashed, never read as a fall.
    partial_last: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "x": self.x,
            "series": self.series,
            "zoom": self.zoom,
            "partialLast": self.partial_last,
        }


@dataclass
class Panel:
    """What a dashboard page shows besides its form: tables, charts and any other figures."""

    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _day(value: date) -> str:
    return value.isoformat()


def _day_label(value: date, today: date) -> str:
    """A day of a daily series; today's is marked as counted so far."""
    return _("%(day)s (today, so far)") % {"day": _day(value)} if value == today else _day(value)


def trend(series: dict[str, dict[date, int]], period: Period) -> Panel:
    """Daily views per sub-platform, with a total column; one line per sub-platform.

    When the period ends today, today's row and point are marked as partial (the day is not over).
    """
    keys = list(series)
    labels = [str(registry.platform_label(k)) for k in keys]
    days = list(period.dates())
    today = timezone.localdate()
    rows: list[list[Value]] = [
        [_day(d), *(series[k][d] for k in keys), sum(series[k][d] for k in keys)] for d in days
    ]
    partial = bool(days) and days[-1] == today
    table = Table(
        "trend",
        _("Daily views per sub-platform"),
        [_("Date"), *labels, _("Total")],
        rows,
        chart="trend",
        partial_last=partial,
    )
    chart = Chart(
        "trend",
        "line",
        table.caption,
        [_day_label(d, today) for d in days],
        [
            {"name": label, "data": [series[k][d] for d in days]}
            for k, label in zip(keys, labels, strict=True)
        ],
        zoom=True,
        partial_last=partial,
    )
    return Panel([table], [chart])


def overview(*, period: Period, platform: str | None, province: str | None, national: bool) -> Panel:
    summary = selectors.views_summary(period=period, platform=platform, province=province)
    series = selectors.daily_views_by_platform(period=period, province=province)
    if platform:
        series = {platform: series.get(platform, dict.fromkeys(period.dates(), 0))}
    panel = trend(series, period)
    panel.extra["summary"] = summary
    if national:
        panel.extra["not_counted"] = selectors.not_counted(period=period)
    return panel


def province_detail(*, code: str, period: Period) -> Panel:
    panel = trend(selectors.daily_views_by_platform(period=period, province=code), period)
    panel.extra["summary"] = selectors.views_summary(period=period, province=code)
    return panel


def _year_over_year(figures: selectors.PeriodFigures) -> float | None:
    return None if figures.year_over_year is None else round(figures.year_over_year * 100, 1)


def comparison(*, a: Period, b: Period, platform: str | None, province: str | None) -> Panel:
    """Two periods side by side: totals and averages, and day by day (day 1 of A beside day 1 of B)."""
    compared = selectors.period_compare(a=a, b=b, platform=platform, province=province)
    summary = Table(
        "comparison",
        _("Period over period"),
        [
            _("Period"),
            _("From"),
            _("To"),
            _("Days"),
            _("Views"),
            _("Average per day"),
            _("Same dates a year before"),
            _("Year over year (%)"),
        ],
        [
            [
                name,
                _day(f.period.start),
                _day(f.period.end),
                f.period.days,
                f.total,
                round(f.average_per_day, 1),
                f.year_before_total,
                _year_over_year(f),
            ]
            for name, f in (("A", compared.a), ("B", compared.b))
        ],
    )
    a_dates, b_dates = list(a.dates()), list(b.dates())
    daily_rows: list[list[Value]] = [
        [
            i + 1,
            _day(a_dates[i]) if i < len(a_dates) else "",
            compared.daily_a[i] if i < len(a_dates) else None,
            _day(b_dates[i]) if i < len(b_dates) else "",
            compared.daily_b[i] if i < len(b_dates) else None,
        ]
        for i in range(max(len(a_dates), len(b_dates)))
    ]
    daily = Table(
        "daily",
        _("Day by day"),
        [_("Day"), _("Date in A"), _("Views in A"), _("Date in B"), _("Views in B")],
        daily_rows,
        chart="daily",
    )
    chart = Chart(
        "daily",
        "line",
        daily.caption,
        [str(row[0]) for row in daily_rows],
        [
            {"name": _("Period A"), "data": [row[2] for row in daily_rows]},
            {"name": _("Period B"), "data": [row[4] for row in daily_rows]},
        ],
    )
    return Panel([summary, daily], [chart], {"comparison": compared})


def _province_url(code: str, period: Period) -> str:
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    return f"{reverse('dashboard:province', args=[code])}?{query}"


def provinces(*, period: Period, platform: str | None, province: str | None) -> Panel:
    ranking, unknown = selectors.province_ranking(period=period, platform=platform, province=province)
    table = Table(
        "provinces",
        _("Views by province"),
        [_("Rank"), _("Province"), _("Code"), _("Views"), _("Share (%)")],
        [[r.rank, r.name, r.code, r.views, round(r.share * 100, 2)] for r in ranking],
        links=[_province_url(r.code, period) for r in ranking],
        chart="provinces",
    )
    chart = Chart(
        "provinces",
        "bar",
        table.caption,
        [r.name for r in ranking],
        [{"name": _("Views"), "data": [r.views for r in ranking]}],
    )
    return Panel([table], [chart], {"unknown": unknown, "period": period})


def sections(*, period: Period, platform: str | None) -> Panel:
    section_list, column_list = selectors.section_ranking(period=period, platform=platform)
    header = [_("Rank"), _("Sub-platform"), _("Section")]
    section_table = Table(
        "sections",
        _("Views by section"),
        [*header, _("Views")],
        [[s.rank, str(registry.platform_label(s.platform)), s.section, s.views] for s in section_list],
        chart="sections",
    )
    column_table = Table(
        "columns",
        _("Views by column"),
        [*header, _("Column"), _("Views")],
        [
            [c.rank, str(registry.platform_label(c.platform)), c.section, c.column, c.views]
            for c in column_list
        ],
        chart="columns",
    )
    charts = [
        Chart("sections", "bar", section_table.caption, [s.section for s in section_list],
              [{"name": _("Views"), "data": [s.views for s in section_list]}]),
        Chart("columns", "bar", column_table.caption, [c.column for c in column_list],
              [{"name": _("Views"), "data": [c.views for c in column_list]}]),
    ]  # fmt: skip
    return Panel([section_table, column_table], charts)


def hot(*, period: Period, limit: int = 20) -> Panel:
    tables = [
        Table(
            f"hot-{platform}",
            _("Most viewed: %(platform)s") % {"platform": registry.platform_label(platform)},
            [_("Rank"), _("Title"), _("Kind"), _("Views")],
            [[i.rank, i.title, i.kind_label, i.views] for i in items],
            links=[i.url for i in items],
        )
        for platform, items in selectors.hot_content_by_platform(period=period, limit=limit).items()
    ]
    return Panel(tables, [], {"period": period})
