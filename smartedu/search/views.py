"""``/search/``: federated results grouped by sub-platform, one sub-platform's tab with its filters, and the
dashboard panel of search counts. Works without JavaScript (GET forms and links)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from smartedu.portal.pagecache import count_on_every_answer
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


@dataclass(frozen=True)
class _Answer:
    """What a search address shows: the same for every visitor (kept per address), but for the errors of an
    address that does not validate, which are answered and never kept."""

    query: str
    platform: str | None = None
    html: str = ""
    all_total: int = 0
    page: int = 0
    form: SearchForm | None = None


def search_page(request: HttpRequest) -> HttpResponse:
    def answer() -> _Answer:
        form = SearchForm(request.GET)
        if not form.is_valid():
            return _Answer(query=request.GET.get("q", "")[:200], form=form)
        query = form.cleaned_data["q"]
        if not query:
            return _Answer(query="")
        platform = form.cleaned_data.get("platform") or None
        kind = form.cleaned_data.get("kind") or None
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
        return _Answer(query, platform, html, results.all_total, results.page)

    # The results of an address are the same for every visitor: one cached block per address, a minute at
    # most (the index follows content through a queue, after the change that starts a new generation). A
    # hit validates nothing: the block holds what the page needs of the address.
    found = cached_block(
        name="search.page",
        vary=[request.GET.urlencode()],
        render=answer,
        request=request,
        timeout=60,
        keep=lambda found: found.form is None,
    )
    if found.form is not None:
        return render(request, "search/results.html", {"form": found.form, "query": found.query}, status=400)
    if not found.query:
        return render(request, "search/results.html", {"query": ""})
    context = {"results_body": mark_safe(found.html), "query": found.query, "platform": found.platform}  # noqa: S308
    response = render(request, "search/results.html", context)
    if found.page == 1 and not found.platform:
        count = (found.query, found.all_total)
        search_counted(request, count)
        # An anonymous visitor's next request of this address may be a page-cache hit: counted there.
        count_on_every_answer(response, SEARCH_COUNTED, count)
    return response


SEARCH_COUNTED = "search.counted"


def search_counted(request: HttpRequest, count: tuple[str, int]) -> None:
    """Count one search of the first results page: the query and its number of results (the page cache
    runs it for each answer it serves, ``smartedu/portal/pagecache.py``)."""
    query, total = count
    services.search_record(query=query, result_count=total, client=client_ip(request))


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
