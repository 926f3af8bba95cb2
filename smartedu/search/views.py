"""``/search/``: federated results grouped by sub-platform, one sub-platform's tab with its filters, and the
dashboard panel of search counts. Works without JavaScript (GET forms and links)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from smartedu.portal.client import client_ip
from smartedu.portal.fragments import cached_block
from smartedu.search import registry, selectors, services
from smartedu.search.forms import SearchForm
from smartedu.stats.access import stats_national
from smartedu.stats.registry import panels_for


def _tabs(results: selectors.SearchResults) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": registry.platform_label(key), "count": results.counts_by_platform.get(key, 0)}
        for key in registry.platform_keys()
    ]


def _facet_urls(request: HttpRequest, results: selectors.SearchResults) -> None:
    """Each facet option links to the page with that filter set (or removed, if it is the selected one)."""
    for facet in results.facet_choices:
        for option in facet.options:
            params = request.GET.copy()
            params.pop("page", None)
            if option.selected:
                params.pop(facet.key, None)
            else:
                params[facet.key] = option.code
            option.url = f"?{params.urlencode()}"


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "query": request.GET.get("q", "")[:200]}
    if not form.is_valid():
        return render(request, "search/results.html", context, status=400)
    query = form.cleaned_data["q"]
    if not query:
        return render(request, "search/results.html", context)
    platform = form.cleaned_data.get("platform") or None
    kind = form.cleaned_data.get("kind") or None

    def results_body() -> tuple[str, int, int]:
        results = selectors.search(
            query=query,
            platform=platform,
            kind=kind,
            facets=form.cleaned_data["facets"],
            page=form.cleaned_data.get("page") or 1,
            respell=not form.cleaned_data.get("exact"),
        )
        _facet_urls(request, results)
        html = render_to_string(
            "search/includes/results_body.html",
            {
                "results": results,
                "query": query,
                "tabs": _tabs(results),
                "platform": platform,
                "kind": kind,
                "kinds": registry.kinds(platform=platform) if platform else [],
            },
            request=request,
        )
        return html, results.all_total, results.page

    # The results of an address are the same for every visitor: one cached block per address, a minute at
    # most (the index follows content through a queue, after the change that starts a new generation).
    html, all_total, page = cached_block(
        name="search.results",
        vary=[request.GET.urlencode()],
        render=results_body,
        request=request,
        timeout=60,
    )
    if page == 1 and not platform:
        services.search_record(query=query, result_count=all_total, client=client_ip(request))
    context.update({"results_body": mark_safe(html), "query": query, "platform": platform})  # noqa: S308
    return render(request, "search/results.html", context)


def _guard(allowed: Callable[[Any], bool]) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@_guard(stats_national)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Top queries and zero-result queries of the last 7 or 30 days (ministry administrators)."""
    days = 30 if request.GET.get("days") == "30" else 7
    return render(
        request,
        "search/dashboard.html",
        {
            "days": days,
            "top": selectors.query_figures(days=days),
            "zero": selectors.query_figures(days=days, zero_only=True),
            "dashboard_panels": panels_for(request.user),
            "active_panel": "searches",
            "charts_json": {},
        },
    )
