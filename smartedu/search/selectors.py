"""Every read of the search engine: federated results, a sub-platform's list filter, typeahead,
recommendations and the search counts of the dashboard."""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString

from smartedu.search import registry
from smartedu.search.backends import Hit, Scope, get_backend
from smartedu.search.dictionary import education_terms
from smartedu.search.models import Recommendation, SearchDocument, SearchQueryDay, SearchTerm
from smartedu.search.registry import Label
from smartedu.search.text import (
    ParsedQuery,
    highlight,
    match_spans,
    normalize,
    parse_query,
    snippet_window,
)

PER_PAGE = 20
PER_GROUP = 5
SUGGESTIONS = 10


@dataclass
class ResultItem:
    kind: str
    kind_label: Label
    platform: str
    object_id: int
    title: str
    url: str
    title_html: SafeString
    snippet: str
    snippet_html: SafeString
    title_highlights: list[tuple[int, int]]
    snippet_highlights: list[tuple[int, int]]
    facet_labels: Mapping[str, str]
    popularity: int


@dataclass
class KindCount:
    key: str
    label: Label
    count: int
    more_url: str | None


@dataclass
class PlatformGroup:
    key: str
    label: Label
    count: int
    kinds: list[KindCount]
    items: list[ResultItem] = field(default_factory=list)


@dataclass
class FacetOption:
    code: str
    name: str
    count: int
    selected: bool
    url: str = ""


@dataclass
class FacetChoices:
    key: str
    label: Label
    options: list[FacetOption]


@dataclass
class SearchResults:
    query: ParsedQuery
    platform: str | None = None
    kind: str | None = None
    facets: Mapping[str, str] = field(default_factory=dict)
    total: int = 0  # matches in the current scope (tab, kind and facets)
    all_total: int = 0  # matches on every sub-platform
    counts_by_kind: dict[str, int] = field(default_factory=dict)
    counts_by_platform: dict[str, int] = field(default_factory=dict)
    groups: list[PlatformGroup] = field(default_factory=list)
    items: list[ResultItem] = field(default_factory=list)
    facet_choices: list[FacetChoices] = field(default_factory=list)
    page: int = 1
    per_page: int = PER_PAGE
    corrected_from: str | None = None  # the query as typed, when results are for a respelling
    relaxed: bool = False  # results match some of the terms only
    shorter: list[str] = field(default_factory=list)
    popular: list[ResultItem] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def scope_kinds(*, platform: str | None = None, kind: str | None = None) -> tuple[str, ...]:
    if kind:
        return (kind,)
    return tuple(k.key for k in registry.kinds(platform=platform))


def _items(hits: Sequence[Hit], query: ParsedQuery) -> list[ResultItem]:
    """The hits as shown, in order, without any whose object stopped being visible since it was indexed
    (those are queued for re-indexing). One query for the rows (none when the backend read them with the
    hits) and one per kind for the visibility check."""
    if not hits:
        return []
    rows = {hit.document_id: hit.document for hit in hits if hit.document is not None}
    unread = [hit.document_id for hit in hits if hit.document is None]
    if unread:
        rows.update(SearchDocument.objects.in_bulk(unread))
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        ids_by_kind[hit.kind].append(hit.object_id)
    visible: set[tuple[str, int]] = set()
    for kind_key, ids in ids_by_kind.items():
        kind = registry.get_kind(kind_key)
        if kind is None:
            continue
        found = set(kind.queryset().prefetch_related(None).filter(pk__in=ids).values_list("pk", flat=True))
        visible |= {(kind_key, pk) for pk in found}
        gone = set(ids) - found
        if gone:
            from smartedu.search.services import search_mark_changed

            search_mark_changed(kind=kind_key, ids=gone)
    items = []
    for hit in hits:
        row = rows.get(hit.document_id)
        if row is None or (hit.kind, hit.object_id) not in visible:
            continue
        items.append(result_item(row, query))
    return items


def result_item(row: SearchDocument, query: ParsedQuery) -> ResultItem:
    kind = registry.get_kind(row.kind)
    title_spans = match_spans(row.title, query)
    body_spans = match_spans(row.body, query)
    snippet, snippet_spans = snippet_window(row.body, body_spans)
    return ResultItem(
        kind=row.kind,
        kind_label=kind.label if kind else row.kind,
        platform=row.platform,
        object_id=row.object_id,
        title=row.title,
        url=row.url,
        title_html=highlight(row.title, title_spans),
        snippet=snippet,
        snippet_html=highlight(snippet, snippet_spans),
        title_highlights=title_spans,
        snippet_highlights=snippet_spans,
        facet_labels=row.facet_labels,
        popularity=row.popularity,
    )


def _more_url(kind_key: str, query: str, facets: Mapping[str, str]) -> str | None:
    kind = registry.get_kind(kind_key)
    if kind is None or kind.list_url is None:
        return None
    return kind.list_url(query, facets)


def _vocabulary() -> list[str]:
    terms = cache.get("search:vocabulary")
    if terms is None:
        terms = sorted(set(education_terms()) | set(SearchTerm.objects.values_list("norm", flat=True)))
        cache.set("search:vocabulary", terms, 600)
    return terms


def _closest(word: str, vocabulary: list[str]) -> str | None:
    near = [w for w in vocabulary if abs(len(w) - len(word)) <= 1]
    match = difflib.get_close_matches(word, near, n=1, cutoff=0.7)
    return match[0] if match and match[0] != word else None


def respelling(query: ParsedQuery) -> str | None:
    """A respelling made of known education terms (勾股定里 → 勾股定理, 一元二次放程 → 一元二次方程, pyhton →
    python): the whole query if it is close to one term, else each unknown word; None if nothing changed."""
    vocabulary = _vocabulary()
    known = set(vocabulary)
    if query.phrase not in known and len(query.phrase) >= 3:
        whole = _closest(query.phrase, vocabulary)
        if whole:
            return whole
    words, changed = [], False
    for term in query.terms:
        replacement = None if term.text in known or len(term.text) < 3 else _closest(term.text, vocabulary)
        words.append(replacement or term.text)
        changed = changed or replacement is not None
    return " ".join(words) if changed else None


def popular_items(*, limit: int = 6) -> list[ResultItem]:
    """The most viewed documents across the sub-platforms (what the zero-result page offers)."""
    hits = cache.get("search:popular")
    if hits is None:
        rows = SearchDocument.objects.exclude(expires_at__lte=timezone.now()).order_by("-popularity", "pk")
        hits = [Hit(*row, 0) for row in rows.values_list("pk", "kind", "platform", "object_id")[: limit * 2]]
        cache.set("search:popular", hits, 300)
    return _items(hits, parse_query(""))[:limit]


def search(
    *,
    query: str,
    platform: str | None = None,
    kind: str | None = None,
    facets: Mapping[str, str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    groups: bool = True,
    respell: bool = True,
) -> SearchResults:
    """Federated search. Without ``platform`` (and ``groups``) the best hits of each sub-platform with their
    counts; with it, one page of that sub-platform's hits (a ``kind`` and facet filters narrow it)."""
    backend = get_backend()
    facets = dict(facets or {})
    parsed = parse_query(query)
    results = SearchResults(
        query=parsed, platform=platform, kind=kind, facets=facets, page=page, per_page=per_page
    )
    if parsed.is_empty:
        return results
    every = Scope(kinds=scope_kinds())
    grouped = platform is None and groups and not kind
    surveyed = grouped or (platform is None and not kind and not facets)

    def first_pass(parsed: ParsedQuery, scope: Scope) -> tuple[dict[str, int], list[Hit] | None]:
        """The counts, and what the page shows first when it needs no other scope: one pass over the
        matches (backend.survey) instead of a count and then a ranking."""
        if grouped:
            return backend.survey(parsed, scope, platforms=registry.platform_keys(), per_platform=PER_GROUP)
        if surveyed:
            return backend.survey(parsed, scope, offset=(max(page, 1) - 1) * per_page, limit=per_page)
        return backend.counts(parsed, scope), None

    counts, prefetched = first_pass(parsed, every)
    if not counts and respell:
        corrected = respelling(parsed)
        if corrected:
            corrected_query = parse_query(corrected)
            corrected_counts, corrected_hits = first_pass(corrected_query, every)
            if corrected_counts:
                results.corrected_from = query
                results.query = parsed = corrected_query
                counts, prefetched = corrected_counts, corrected_hits
    if not counts and len(parsed.terms) > 1:
        results.shorter = parsed.words()
        counts, prefetched = first_pass(parsed, Scope(kinds=every.kinds, relaxed=True))
        results.relaxed = bool(counts)
    results.counts_by_kind = counts
    by_platform: dict[str, int] = defaultdict(int)
    for kind_key, count in counts.items():
        search_kind = registry.get_kind(kind_key)
        if search_kind:
            by_platform[search_kind.platform] += count
    results.counts_by_platform = dict(by_platform)
    results.all_total = sum(counts.values())
    if not counts:
        results.popular = popular_items()
        return results

    if grouped:
        results.total = results.all_total
        hits = prefetched
        if hits is None:
            hits = backend.top_per_platform(
                parsed, Scope(kinds=every.kinds, relaxed=results.relaxed), per_platform=PER_GROUP
            )
        items = _items(hits, parsed)
        for platform_key in registry.platform_keys():
            if not by_platform.get(platform_key):
                continue
            group = PlatformGroup(
                key=platform_key,
                label=registry.platform_label(platform_key),
                count=by_platform[platform_key],
                kinds=[
                    KindCount(
                        k.key,
                        k.label_plural or k.label,
                        counts.get(k.key, 0),
                        _more_url(k.key, parsed.normalized, {}),
                    )
                    for k in registry.kinds(platform=platform_key)
                    if counts.get(k.key)
                ],
                items=[item for item in items if item.platform == platform_key],
            )
            results.groups.append(group)
        return results

    scope = Scope(kinds=scope_kinds(platform=platform, kind=kind), facets=facets, relaxed=results.relaxed)
    results.total = (
        sum(backend.counts(parsed, scope).values()) if facets else sum(counts.get(k, 0) for k in scope.kinds)
    )
    clamped = min(max(page, 1), results.num_pages)
    if prefetched is None or clamped != max(page, 1):
        prefetched = backend.hits(parsed, scope, offset=(clamped - 1) * per_page, limit=per_page)
    results.page = page = clamped
    results.items = _items(prefetched, parsed)
    facet_defs = facets_of(scope.kinds) if (platform or kind) else []
    if facet_defs:
        unfiltered = {}
        for facet in facet_defs:
            # A facet's options are counted with the other facets applied, not itself (so one can switch).
            others = {k: v for k, v in facets.items() if k != facet.key}
            facet_scope = Scope(kinds=scope.kinds, facets=others, relaxed=results.relaxed)
            unfiltered[facet.key] = backend.facet_counts(parsed, facet_scope, [facet.key])[facet.key]
        for facet in facet_defs:
            names = dict(facet.choices())
            counted = unfiltered[facet.key]
            options = [
                FacetOption(code, names.get(code, code), counted.get(code, 0), facets.get(facet.key) == code)
                for code in list(names) + sorted(set(counted) - set(names))
                if counted.get(code) or facets.get(facet.key) == code
            ]
            results.facet_choices.append(FacetChoices(facet.key, facet.label, options))
    return results


def facets_of(kind_keys: Sequence[str]) -> list[registry.Facet]:
    """The facets every kind of the scope shares (a platform's kinds may differ: only common ones filter)."""
    kinds = [k for k in (registry.get_kind(key) for key in kind_keys) if k is not None]
    if not kinds:
        return []
    common = [f for f in kinds[0].facets if all(k.facet(f.key) for k in kinds[1:])]
    return common


def facet_keys(*, platform: str | None, kind: str | None) -> list[str]:
    return [f.key for f in facets_of(scope_kinds(platform=platform, kind=kind))]


class Candidate(NamedTuple):
    """A match a list ranks or narrows itself with (a tuple: a window holds thousands of them)."""

    object_id: int
    tier: int
    popularity: int


def match_frequency(*, query: str, facets: Mapping[str, str] | None = None) -> tuple[float, float]:
    """Estimates of the share and the number of documents matching ``query`` with these facets (from the
    database's statistics; 0 when unknown)."""
    return get_backend().frequency(parse_query(query), dict(facets or {}))


def match_candidates(
    *, kind: str, query: str, facets: Mapping[str, str] | None = None, limit: int, walk: bool = False
) -> list[Candidate]:
    """Up to ``limit`` matches of ``query`` among the documents of ``kind`` with these facet values, with
    their relevance tier, in no particular order. Fewer than ``limit`` means these are all of them: a list
    (the job search) then narrows and ranks exactly; ``limit`` of them means the query is broad. Kept in
    the cache until a change of a document that matches it (smartedu/search/windows.py: a repeated search
    is a key read and one small query)."""
    parsed = parse_query(query)
    rows = get_backend().candidates(kind, parsed, facets=dict(facets or {}), limit=limit, walk=walk)
    return list(map(Candidate._make, rows))


def matching_queryset(
    queryset: QuerySet,
    *,
    kind: str,
    query: str,
    facets: Mapping[str, str] | None = None,
    ranked: bool = True,
    probe: bool = False,
) -> QuerySet:
    """A sub-platform's own list narrowed to the engine's matches for ``query`` (and documents with these
    facet values), best first unless not ``ranked`` (its ``q`` filter): the same tokens and relevance
    tiers as ``/search/``, never ``icontains``."""
    return get_backend().filter_queryset(
        queryset, kind, parse_query(query), facets=facets, ranked=ranked, probe=probe
    )


# --- Typeahead ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    text: str
    category: str
    url: str = ""


def suggest(*, query: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Up to ``limit`` suggestions for what is being typed: names (subjects, specialties, universities,
    employers) that contain it, then titles that match it (the last word as a prefix), most viewed first.
    Cached a minute per query."""
    normalized = normalize(query)
    parsed = parse_query(query, prefix=True)
    if parsed.is_empty:
        return []
    key = f"search:suggest:{limit}:{hashlib.sha1(normalized.encode(), usedforsecurity=False).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    compact = "".join(parsed.words())
    names = list(
        SearchTerm.objects.filter(norm__contains=normalized if " " in normalized else compact)
        .annotate(
            starts=Case(
                When(norm__startswith=compact, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-starts", "-weight", "norm")
        .values_list("text", "category")[: max(3, limit // 2)]
    )
    found: list[Suggestion] = [Suggestion(text, category) for text, category in names]
    hits = get_backend().title_hits(parsed, limit=limit)
    rows = SearchDocument.objects.in_bulk([h.document_id for h in hits])
    for hit in hits:
        row = rows.get(hit.document_id)
        if row is not None:
            found.append(Suggestion(row.title, row.kind, row.url))
    unique: dict[str, Suggestion] = {}
    for suggestion in found:
        unique.setdefault(suggestion.text, suggestion)
    result = list(unique.values())[:limit]
    cache.set(key, result, 60)
    return result


# --- Recommendations ----------------------------------------------------------------------------


@dataclass
class RecommendedItem:
    title: str
    url: str
    detail: str
    kind_label: Label
    facet_labels: Mapping[str, str]


@dataclass
class RecommendationGroup:
    reason: str
    label: Label
    items: list[RecommendedItem]


def recommendations_for(
    *, source_kind: str, source_id: int, per_reason: int = 5
) -> list[RecommendationGroup]:
    """The stored recommendations of an object, grouped by reason, best first (one query). Computed in
    Celery (services.recommendations_compute), never here."""
    now = timezone.now()
    rows = (
        Recommendation.objects.filter(source_kind=source_kind, source_id=source_id)
        .exclude(target__expires_at__lte=now)
        .select_related("target")
        .order_by("reason", "-score", "target__title")
    )
    groups: dict[str, RecommendationGroup] = {}
    order = [reason for r in registry.recommenders(source_kind=source_kind) for reason in r.reasons]
    for row in rows:
        group = groups.setdefault(
            row.reason, RecommendationGroup(row.reason, registry.reason_label(row.reason), [])
        )
        if len(group.items) < per_reason:
            kind = registry.get_kind(row.target.kind)
            group.items.append(
                RecommendedItem(
                    title=row.target.title,
                    url=row.target.url,
                    detail=row.detail,
                    kind_label=kind.label if kind else row.target.kind,
                    facet_labels=row.target.facet_labels,
                )
            )
    return sorted(groups.values(), key=lambda g: order.index(g.reason) if g.reason in order else len(order))


# --- Search counts (dashboard) ------------------------------------------------------------------


@dataclass(frozen=True)
class QueryFigure:
    query: str
    searches: int
    zero_result_searches: int
    last_result_count: int


def query_figures(
    *, days: int = 7, zero_only: bool = False, limit: int = 50, today: date | None = None
) -> list[QueryFigure]:
    """The most searched queries of the last ``days`` days (or those that found nothing), one query."""
    end = today or timezone.localdate()
    rows = SearchQueryDay.objects.filter(day__gt=end - timedelta(days=days), day__lte=end)
    if zero_only:
        rows = rows.filter(zero_result_searches__gt=0)
    figures = (
        rows.values("query")
        .annotate(total=Sum("searches"), zero=Sum("zero_result_searches"))
        .order_by("-zero" if zero_only else "-total", "query")[:limit]
    )
    last = dict(
        SearchQueryDay.objects.filter(query__in=[f["query"] for f in figures], day__lte=end)
        .order_by("query", "day")
        .values_list("query", "last_result_count")
    )
    return [QueryFigure(f["query"], f["total"], f["zero"], last.get(f["query"], 0)) for f in figures]
