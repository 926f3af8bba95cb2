"""Reads of the portal: the sub-platforms, their headline figures, and what the home page shows."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from smartedu.portal.models import Announcement
from smartedu.portal.registry import Label, platforms
from smartedu.search import registry as search_registry
from smartedu.search.models import SearchDocument
from smartedu.stats.models import ObjectDailyView

HEADLINE_CACHE_KEY = "portal:headline-figures:v1"
HEADLINE_CACHE_SECONDS = 300


def headline_figures_compute() -> dict[str, dict[str, int]]:
    """Count every registered figure in the database: ``{platform key: {figure key: value}}``."""
    return {p.key: {f.key: int(f.count()) for f in p.figures} for p in platforms()}


def headline_figures() -> dict[str, dict[str, int]]:
    """The figures as the home page shows them: from the cache the beat task refreshes, else counted now."""
    figures = cache.get(HEADLINE_CACHE_KEY)
    if figures is None:
        figures = headline_figures_compute()
        cache.set(HEADLINE_CACHE_KEY, figures, HEADLINE_CACHE_SECONDS)
    return figures


def platform_cards() -> list[dict]:
    """The four sub-platforms with their labelled figures (labels are lazy: they render translated)."""
    values = headline_figures()
    return [
        {
            "platform": p,
            "figures": [{"label": f.label, "value": values.get(p.key, {}).get(f.key, 0)} for f in p.figures],
        }
        for p in platforms()
    ]


# --- The home page: the portal's front door -----------------------------------------------------------------

HOME_CACHE_KEY = "portal:home:v1"
HOME_CACHE_SECONDS = 120
HOT_DAYS = 7


@dataclass(frozen=True)
class HomeItem:
    """A piece of content on the home page (from the search index, which holds visible content only)."""

    kind: str
    platform: str
    title: str
    url: str
    views: int

    @property
    def kind_label(self) -> Label:
        kind = search_registry.get_kind(self.kind)
        return kind.label if kind else self.kind

    @property
    def platform_label(self) -> Label:
        return search_registry.platform_label(self.platform)


@dataclass(frozen=True)
class HomeFigure:
    kind: str
    count: int

    @property
    def label(self) -> Label:
        kind = search_registry.get_kind(self.kind)
        return (kind.label_plural or kind.label) if kind else self.kind


@dataclass(frozen=True)
class HomeData:
    """What the home page shows, kept in the cache for ``HOME_CACHE_SECONDS`` (an announcement saved or
    deleted clears it)."""

    figures: dict[str, list[HomeFigure]]  # platform key → content counts per searchable kind
    hot: list[HomeItem]
    latest: list[HomeItem]
    announcements: list[Announcement]


def _item(doc: SearchDocument, views: int | None = None) -> HomeItem:
    return HomeItem(
        kind=doc.kind,
        platform=doc.platform,
        title=doc.title,
        url=doc.url,
        views=doc.popularity if views is None else views,
    )


def _visible_documents() -> QuerySet[SearchDocument]:
    """Documents not expired, and not among what a kind hides right now (``SearchKind.hidden``: a partner
    platform switched off hides its courses before the index has caught up)."""
    now = timezone.now()
    documents = SearchDocument.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    for kind in search_registry.kinds():
        if kind.hidden is None:
            continue
        for facet, values in kind.hidden().items():
            if values:
                documents = documents.exclude(kind=kind.key, **{f"facets__{facet}__in": sorted(values)})
    return documents


def home_hot(*, limit: int = 8) -> list[HomeItem]:
    """The most viewed content of the last ``HOT_DAYS`` days across the sub-platforms (view statistics).

    The daily per-object rollups rank the content; only what the search index holds (visible content) is
    shown. Before any view is counted, the all-time view counters rank it instead. Three queries at most.
    """
    since = timezone.localdate() - timedelta(days=HOT_DAYS - 1)
    ranked = list(
        ObjectDailyView.objects.filter(day__gte=since)
        .values_list("kind", "object_id")
        .annotate(views=Sum("views"))
        .order_by("-views", "kind", "object_id")[: limit * 3]
    )
    items: list[HomeItem] = []
    if ranked:
        wanted = Q()
        for kind, object_id, _views in ranked:
            wanted |= Q(kind=kind, object_id=object_id)
        docs = {(d.kind, d.object_id): d for d in _visible_documents().filter(wanted)}
        items = [
            _item(docs[(kind, object_id)], views)
            for kind, object_id, views in ranked
            if (kind, object_id) in docs
        ][:limit]
    if len(items) < limit:
        seen = {(i.kind, i.url) for i in items}
        for doc in _visible_documents().filter(popularity__gt=0).order_by("-popularity", "pk")[: limit * 2]:
            if len(items) >= limit:
                break
            if (doc.kind, doc.url) not in seen:
                items.append(_item(doc))
    return items


def home_latest(*, per_platform: int = 2) -> list[HomeItem]:
    """The newest content of each sub-platform: the documents added to the index last (one query each)."""
    items: list[HomeItem] = []
    for platform in search_registry.platform_keys():
        docs = _visible_documents().filter(platform=platform).order_by("-pk")[:per_platform]
        items.extend(_item(doc) for doc in docs)
    return items


def home_figures() -> dict[str, list[HomeFigure]]:
    """Real content per sub-platform: the visible documents of each searchable kind (one query)."""
    figures: dict[str, list[HomeFigure]] = {}
    rows = _visible_documents().values_list("platform", "kind").annotate(n=Count("pk")).order_by()
    order = {kind.key: kind.order for kind in search_registry.kinds()}
    for platform, kind, count in sorted(rows, key=lambda row: (order.get(row[1], 99), row[1])):
        figures.setdefault(platform, []).append(HomeFigure(kind=kind, count=count))
    return figures


def home_data() -> HomeData:
    """The home page's figures, hot and latest content: from the cache, else read now (a few queries)."""
    data = cache.get(HOME_CACHE_KEY)
    if not isinstance(data, HomeData):
        data = HomeData(
            figures=home_figures(), hot=home_hot(), latest=home_latest(), announcements=announcements()
        )
        cache.set(HOME_CACHE_KEY, data, HOME_CACHE_SECONDS)
    return data


def announcements(*, limit: int = 5) -> list[Announcement]:
    return list(Announcement.objects.visible()[:limit])
