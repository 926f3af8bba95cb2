"""``/dashboard/``: view statistics at a glance. Every chart has its data table beside it and a CSV export.

Pages work without JavaScript: filters are GET forms and the tables carry the data; ``dashboard.js`` draws
the charts with ECharts from the same data (``json_script``). Views are thin: a guard from ``access``, a
form, one presenter (``presenters.py``) and the page, or the table as CSV (``exports.py``). A filter that
is not valid shows its error beside the field, with status 400, over the default period.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from smartedu.stats import access, presenters, registry
from smartedu.stats.exports import table_csv
from smartedu.stats.forms import CompareForm, PeriodForm

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _guard(allowed: Callable[[object], bool]) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in users without the right get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def _render(
    request: HttpRequest,
    template: str,
    active: str,
    *,
    form: Form | None = None,
    panel: presenters.Panel | None = None,
    **context: Any,
) -> HttpResponse:
    """The page, or one of its tables as CSV when ``?export=<table key>`` asks for it."""
    panel = panel or presenters.Panel()
    export = request.GET.get("export")
    if export:
        for table in panel.tables:
            if table.key == export:
                return table_csv(table, f"{active}-{table.key}.csv")
        raise Http404(_("No such table."))
    query = request.GET.copy()
    query.pop("export", None)
    context.update(panel.extra)
    context.update(
        {
            "form": form,
            "tables": panel.tables,
            "dashboard_panels": registry.panels_for(request.user),
            "active_panel": active,
            "query": query.urlencode(),
            "charts_json": {c.key: c.as_json() for c in panel.charts},
        }
    )
    invalid = form is not None and form.is_bound and not form.is_valid()
    return render(request, template, context, status=400 if invalid else 200)


@_guard(access.dashboard_openable)
def index(request: HttpRequest) -> HttpResponse:
    """The views overview for administrators; the list of one's panels for everyone else."""
    if not access.stats_readable(request.user):
        return _render(request, "stats/index.html", "index")
    scope = access.scope_province_code(request.user)
    form = PeriodForm(request.GET or None, province_choice=scope is None)
    province = access.province_scope(request.user, form.choice("province"))
    panel = presenters.overview(
        period=form.period(),
        platform=form.choice("platform"),
        province=province,
        national=access.stats_national(request.user),
    )
    return _render(
        request,
        "stats/overview.html",
        "overview",
        form=form,
        panel=panel,
        province_name=_province_name(province),
    )


def _province_name(code: str | None) -> str:
    if not code:
        return ""
    from smartedu.accounts.models import Province

    return Province.objects.filter(code=code).values_list("name", flat=True).first() or code


@_guard(access.stats_readable)
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    a, b = form.periods()
    platform = (form.cleaned_data.get("platform") or None) if form.is_valid() else None
    province = access.province_scope(request.user, None)
    panel = presenters.comparison(a=a, b=b, platform=platform, province=province)
    return _render(
        request,
        "stats/compare.html",
        "compare",
        form=form,
        panel=panel,
        province_name=_province_name(province),
    )


@_guard(access.stats_readable)
def provinces(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, province_choice=False)
    panel = presenters.provinces(
        period=form.period(),
        platform=form.choice("platform"),
        province=access.province_scope(request.user, None),
    )
    return _render(request, "stats/provinces.html", "provinces", form=form, panel=panel)


@_guard(access.stats_readable)
def province_detail(request: HttpRequest, code: str) -> HttpResponse:
    province = access.access_province(request.user, code)
    form = PeriodForm(request.GET or None, province_choice=False, platform_choice=False)
    panel = presenters.province_detail(code=province.code, period=form.period())
    return _render(
        request,
        "stats/province_detail.html",
        "provinces",
        form=form,
        panel=panel,
        province_code=province.code,
        province_name=province.name,
    )


@_guard(access.stats_national)
def sections(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, province_choice=False)
    panel = presenters.sections(period=form.period(), platform=form.choice("platform"))
    return _render(request, "stats/sections.html", "sections", form=form, panel=panel)


@_guard(access.stats_national)
def hot(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, province_choice=False, platform_choice=False)
    panel = presenters.hot(period=form.period(), limit=20)
    return _render(request, "stats/hot.html", "hot", form=form, panel=panel)
