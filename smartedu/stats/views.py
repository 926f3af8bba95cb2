"""``/dashboard/``: view statistics at a glance. Every chart has its data table beside it and a CSV export.

Pages work without JavaScript: filters are GET forms and the tables carry the data; ``dashboard.js`` draws
the charts with ECharts from the same data (``json_script``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from smartedu.accounts.models import Province
from smartedu.stats import access, registry, selectors
from smartedu.stats.forms import CompareForm, PeriodForm, default_comparison


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    numeric: bool = False


@dataclass
class Table:
    """A data table: rendered in the page, exported as CSV (``?export=<key>``), drawn by a chart."""

    key: str
    caption: str
    header: list[str]
    rows: list[list]
    links: list[str] = field(default_factory=list)  # a link for each row, on the cell ``link_column``
    link_column: int = 1
    chart: str = ""

    def cells(self) -> list[list[Cell]]:
        """The rows as the page shows them: numbers grouped by thousands, a dash for a missing value."""
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
                    cells.append(Cell(intcomma(value), href, numeric=True))
            shown.append(cells)
        return shown


@dataclass
class Chart:
    key: str
    kind: str  # "line" or "bar"
    title: str
    x: list[str]
    series: list[dict]
    zoom: bool = False

    def as_json(self) -> dict:
        return {"kind": self.kind, "title": self.title, "x": self.x, "series": self.series, "zoom": self.zoom}


def _guard(allowed: Callable[[object], bool]):
    """Anonymous visitors go to the login page; signed-in users without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _render(request: HttpRequest, template: str, panel: str, context: dict) -> HttpResponse:
    """The page, or one of its tables as CSV when ``?export=<table key>`` asks for it."""
    tables: list[Table] = context.get("tables", [])
    export = request.GET.get("export")
    if export:
        for table in tables:
            if table.key == export:
                return _csv(table, f"{panel}-{table.key}.csv")
        raise Http404(_("No such table."))
    query = request.GET.copy()
    query.pop("export", None)
    context.update(
        {
            "dashboard_panels": registry.panels_for(request.user),
            "active_panel": panel,
            "query": query.urlencode(),
            "charts_json": {c.key: c.as_json() for c in context.get("charts", [])},
        }
    )
    return render(request, template, context)


def _csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _day(value) -> str:
    return value.isoformat()


def _trend(series: dict[str, dict], period: selectors.Period) -> tuple[Table, Chart]:
    keys = list(series)
    labels = [str(registry.platform_label(k)) for k in keys]
    days = list(period.dates())
    rows = [[_day(d), *(series[k][d] for k in keys), sum(series[k][d] for k in keys)] for d in days]
    table = Table(
        "trend", _("Daily views per sub-platform"), [_("Date"), *labels, _("Total")], rows, chart="trend"
    )
    chart = Chart(
        "trend",
        "line",
        table.caption,
        [_day(d) for d in days],
        [
            {"name": label, "data": [series[k][d] for d in days]}
            for k, label in zip(keys, labels, strict=True)
        ],
        zoom=True,
    )
    return table, chart


def _scope(request: HttpRequest, form: PeriodForm) -> str | None:
    scope = access.scope_province_code(request.user)
    if scope is not None:
        return scope
    return (form.cleaned_data.get("province") or None) if form.is_valid() else None


def _period(form: PeriodForm) -> selectors.Period:
    return form.cleaned_data["period"] if form.is_valid() else selectors.default_period()


@_guard(access.dashboard_openable)
def index(request: HttpRequest) -> HttpResponse:
    """The views overview for administrators; the list of one's panels for everyone else."""
    if not access.stats_readable(request.user):
        return _render(request, "stats/index.html", "index", {})
    return _overview(request)


def _overview(request: HttpRequest) -> HttpResponse:
    scope = access.scope_province_code(request.user)
    form = PeriodForm(request.GET or None, province_choice=scope is None)
    period = _period(form)
    province = _scope(request, form)
    platform = (form.cleaned_data.get("platform") or None) if form.is_valid() else None
    summary = selectors.views_summary(period=period, platform=platform, province=province)
    series = selectors.daily_views_by_platform(period=period, province=province)
    if platform:
        series = {platform: series.get(platform, dict.fromkeys(period.dates(), 0))}
    trend_table, trend_chart = _trend(series, period)
    return _render(
        request,
        "stats/overview.html",
        "overview",
        {
            "form": form,
            "summary": summary,
            "province_name": _province_name(province),
            "tables": [trend_table],
            "charts": [trend_chart],
        },
    )


def _province_url(code: str, period: selectors.Period) -> str:
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    return f"{reverse('dashboard:province', args=[code])}?{query}"


def _province_name(code: str | None) -> str:
    if not code:
        return ""
    return Province.objects.filter(code=code).values_list("name", flat=True).first() or code


@_guard(access.stats_readable)
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        platform = form.cleaned_data.get("platform") or None
    else:
        (a, b), platform = default_comparison(), None
    province = access.scope_province_code(request.user)
    comparison = selectors.period_compare(a=a, b=b, platform=platform, province=province)

    def yoy(figures: selectors.PeriodFigures):
        return None if figures.year_over_year is None else round(figures.year_over_year * 100, 1)

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
                yoy(f),
            ]
            for name, f in (("A", comparison.a), ("B", comparison.b))
        ],
    )
    length = max(len(comparison.daily_a), len(comparison.daily_b))
    a_dates, b_dates = list(a.dates()), list(b.dates())
    daily_rows = []
    for i in range(length):
        daily_rows.append(
            [
                i + 1,
                _day(a_dates[i]) if i < len(a_dates) else "",
                comparison.daily_a[i] if i < len(a_dates) else None,
                _day(b_dates[i]) if i < len(b_dates) else "",
                comparison.daily_b[i] if i < len(b_dates) else None,
            ]
        )
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
        [str(i + 1) for i in range(length)],
        [
            {"name": _("Period A"), "data": [r[2] for r in daily_rows]},
            {"name": _("Period B"), "data": [r[4] for r in daily_rows]},
        ],
    )
    return _render(
        request,
        "stats/compare.html",
        "compare",
        {
            "form": form,
            "comparison": comparison,
            "province_name": _province_name(province),
            "tables": [summary, daily],
            "charts": [chart],
        },
    )


@_guard(access.stats_readable)
def provinces(request: HttpRequest) -> HttpResponse:
    scope = access.scope_province_code(request.user)
    form = PeriodForm(request.GET or None, province_choice=False)
    period = _period(form)
    platform = (form.cleaned_data.get("platform") or None) if form.is_valid() else None
    ranking, unknown = selectors.province_ranking(period=period, platform=platform, province=scope)
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
    return _render(
        request,
        "stats/provinces.html",
        "provinces",
        {"form": form, "period": period, "unknown": unknown, "tables": [table], "charts": [chart]},
    )


@_guard(access.stats_readable)
def province_detail(request: HttpRequest, code: str) -> HttpResponse:
    name = Province.objects.filter(code=code).values_list("name", flat=True).first()
    if name is None:
        raise Http404(_("No such province."))
    if not access.province_permitted(request.user, code):
        raise PermissionDenied
    form = PeriodForm(request.GET or None, province_choice=False, platform_choice=False)
    period = _period(form)
    summary = selectors.views_summary(period=period, province=code)
    table, chart = _trend(selectors.daily_views_by_platform(period=period, province=code), period)
    return _render(
        request,
        "stats/province_detail.html",
        "provinces",
        {
            "form": form,
            "province_code": code,
            "province_name": name,
            "summary": summary,
            "tables": [table],
            "charts": [chart],
        },
    )


@_guard(access.stats_national)
def sections(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, province_choice=False)
    period = _period(form)
    platform = (form.cleaned_data.get("platform") or None) if form.is_valid() else None
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
    return _render(
        request,
        "stats/sections.html",
        "sections",
        {"form": form, "tables": [section_table, column_table], "charts": charts},
    )


@_guard(access.stats_national)
def hot(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, province_choice=False, platform_choice=False)
    period = _period(form)
    tables = []
    for platform, items in selectors.hot_content_by_platform(period=period, limit=20).items():
        tables.append(
            Table(
                f"hot-{platform}",
                _("Most viewed: %(platform)s") % {"platform": registry.platform_label(platform)},
                [_("Rank"), _("Title"), _("Kind"), _("Views")],
                [[i.rank, i.title, i.kind_label, i.views] for i in items],
                links=[i.url for i in items],
            )
        )
    return _render(request, "stats/hot.html", "hot", {"form": form, "period": period, "tables": tables})
