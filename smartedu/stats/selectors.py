"""Reads of view statistics for the dashboards and the API. Days are calendar days in Asia/Shanghai."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from smartedu.accounts.models import Province
from smartedu.portal.pagecache import GENERATION_KEY, generation_bump, generation_current
from smartedu.stats import registry
from smartedu.stats.models import (
    DroppedDailyView,
    DroppedReason,
    FailedBatch,
    ObjectDailyView,
    ObjectMonthlyView,
    PlatformDailyView,
    PlatformHourlyView,
    ProvinceDailyView,
    SectionDailyView,
)
from smartedu.stats.periods import DEFAULT_DAYS as DEFAULT_DAYS
from smartedu.stats.periods import MAX_DAYS as MAX_DAYS
from smartedu.stats.periods import Period as Period
from smartedu.stats.periods import default_period as default_period
from smartedu.stats.periods import month_start, period_split
from smartedu.stats.periods import today as today

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _daily(*, platform: str | None, province: str | None) -> QuerySet:
    qs = (
        PlatformDailyView.objects.all()
        if province is None
        else ProvinceDailyView.objects.filter(province_code=province)
    )
    return qs.filter(platform=platform) if platform else qs


# --- Summary and trends -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    period: Period
    total: int
    average_per_day: float
    peak_day: date | None
    peak_views: int
    today: int
    visitors_today: int | None
    visitors_per_day: float | None


def daily_views(
    *, period: Period, platform: str | None = None, province: str | None = None
) -> dict[date, int]:
    """``{day: views}`` for every day of the period (0 where nothing was counted)."""
    rows = (
        _daily(platform=platform, province=province)
        .filter(day__range=(period.start, period.end))
        .values_list("day")
        .annotate(views=Sum("views"))
        .order_by()
    )
    counted = dict(rows)
    return {day: counted.get(day, 0) for day in period.dates()}


def views_summary(*, period: Period, platform: str | None = None, province: str | None = None) -> Summary:
    """Total, average per day, peak day and today so far; unique visitors (national figures only).

    One query (two when today lies outside the period). Unique visitors are counted per day and
    sub-platform: ``visitors_per_day`` is the average of the daily figures, not a count of distinct people.
    """
    now = today()
    qs = _daily(platform=platform, province=province)
    fields = {"views": Sum("views")}
    if province is None:
        fields["visitors"] = Sum("visitors")
    rows = {
        row["day"]: row
        for row in qs.filter(day__range=(period.start, period.end))
        .values("day")
        .annotate(**fields)
        .order_by()
    }
    total = sum(r["views"] for r in rows.values())
    peak_day, peak_views = None, 0
    for day in sorted(rows):
        if rows[day]["views"] > peak_views:
            peak_day, peak_views = day, rows[day]["views"]
    if now in period:
        today_row = rows.get(now, {"views": 0, "visitors": 0})
    else:
        today_row = qs.filter(day=now).aggregate(**fields)
    visitors_today = visitors_per_day = None
    if province is None:
        visitors_today = today_row.get("visitors") or 0
        visitors_per_day = sum(r["visitors"] for r in rows.values()) / period.days
    return Summary(
        period=period,
        total=total,
        average_per_day=total / period.days,
        peak_day=peak_day,
        peak_views=peak_views,
        today=today_row.get("views") or 0,
        visitors_today=visitors_today,
        visitors_per_day=visitors_per_day,
    )


def daily_views_by_platform(*, period: Period, province: str | None = None) -> dict[str, dict[date, int]]:
    """``{platform: {day: views}}`` for every platform that counts views (one query)."""
    rows = (
        _daily(platform=None, province=province)
        .filter(day__range=(period.start, period.end))
        .values_list("platform", "day")
        .annotate(views=Sum("views"))
        .order_by()
    )
    series = {key: dict.fromkeys(period.dates(), 0) for key in registry.platform_keys()}
    for platform, day, views in rows:
        if platform not in series:  # not ``setdefault``: its default would list every day for every row
            series[platform] = dict.fromkeys(period.dates(), 0)
        series[platform][day] = views
    return series


def hourly_views(*, period: Period, platform: str | None = None) -> dict[datetime, int]:
    """``{hour start (local time): views}`` for every hour of the period's days (one query)."""
    tz = timezone.get_current_timezone()
    first = datetime.combine(period.start, time.min, tzinfo=tz)
    last = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)
    qs = PlatformHourlyView.objects.filter(hour__gte=first, hour__lt=last)
    if platform:
        qs = qs.filter(platform=platform)
    counted = {
        timezone.localtime(hour): views
        for hour, views in qs.values_list("hour").annotate(views=Sum("views")).order_by()
    }
    hours = {}
    day = period.start
    while day <= period.end:
        for h in range(24):
            stamp = datetime.combine(day, time(hour=h), tzinfo=tz)
            hours[stamp] = counted.get(stamp, 0)
        day += timedelta(days=1)
    return hours


# --- Period over period -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    total: int
    average_per_day: float
    year_before_total: int

    @property
    def year_over_year(self) -> float | None:
        """Change against the same dates a year before (0.25 = +25 %); None without last year's data."""
        if not self.year_before_total:
            return None
        return self.total / self.year_before_total - 1


@dataclass(frozen=True)
class Comparison:
    a: PeriodFigures
    b: PeriodFigures
    daily_a: list[int]
    daily_b: list[int]

    @property
    def multiple(self) -> float | None:
        """Average daily views of B over those of A (3.58 = B's days saw 3.58 times A's views)."""
        if not self.a.average_per_day:
            return None
        return self.b.average_per_day / self.a.average_per_day

    @property
    def growth(self) -> float | None:
        """How many times A's level B added ("rose 2.6 times": 46.19 M a day after 12.91 M is 2.58)."""
        return None if self.multiple is None else self.multiple - 1


def period_compare(
    *, a: Period, b: Period, platform: str | None = None, province: str | None = None
) -> Comparison:
    """Two periods and the same dates a year before: totals in one query, daily values in another."""
    qs = _daily(platform=platform, province=province)

    def total_of(period: Period) -> Sum:
        return Sum(
            Case(
                When(day__range=(period.start, period.end), then="views"),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    totals = qs.aggregate(
        a=total_of(a), b=total_of(b), a_ly=total_of(a.year_before()), b_ly=total_of(b.year_before())
    )
    first, last = min(a.start, b.start), max(a.end, b.end)
    daily = dict(
        qs.filter(day__range=(first, last)).values_list("day").annotate(views=Sum("views")).order_by()
    )

    def figures(period: Period, total: int | None, last_year: int | None) -> PeriodFigures:
        total = total or 0
        return PeriodFigures(period, total, total / period.days, last_year or 0)

    return Comparison(
        a=figures(a, totals["a"], totals["a_ly"]),
        b=figures(b, totals["b"], totals["b_ly"]),
        daily_a=[daily.get(d, 0) for d in a.dates()],
        daily_b=[daily.get(d, 0) for d in b.dates()],
    )


# --- Provinces ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceRank:
    rank: int
    code: str
    name: str
    views: int
    share: float


def province_ranking(
    *, period: Period, platform: str | None = None, province: str | None = None
) -> tuple[list[ProvinceRank], int]:
    """Provinces by views, highest first; and the views whose province is unknown (two queries)."""
    qs = ProvinceDailyView.objects.filter(day__range=(period.start, period.end))
    if platform:
        qs = qs.filter(platform=platform)
    if province is not None:  # a province's own figures only: views of unknown origin are national
        qs = qs.filter(province_code=province)
    totals = dict(qs.values_list("province_code").annotate(views=Sum("views")).order_by())
    unknown = totals.pop("", 0)
    grand = sum(totals.values()) + unknown
    names = dict(Province.objects.values_list("code", "name"))
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    ranking = [
        ProvinceRank(rank, code, str(names.get(code) or code), views, views / grand if grand else 0.0)
        for rank, (code, views) in enumerate(ordered, start=1)
    ]
    return ranking, unknown


# --- Sections, columns and hot content ----------------------------------------------------------------------


def ref_labels(refs: Iterable[str]) -> dict[str, str]:
    """``{"k12.section:3": "课程教学", …}``: one query per referenced model."""
    ids_by_model: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        if ref and ":" in ref:
            label, pk = ref.rsplit(":", 1)
            if pk.isdigit():
                ids_by_model[label].add(int(pk))
    labels = {}
    for label, ids in sorted(ids_by_model.items()):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        for pk, obj in model._default_manager.in_bulk(sorted(ids)).items():
            labels[f"{label}:{pk}"] = str(obj)
    return labels


@dataclass(frozen=True)
class SectionRank:
    rank: int
    platform: str
    section_ref: str
    section: str
    column_ref: str
    column: str
    views: int


def section_ranking(
    *, period: Period, platform: str | None = None
) -> tuple[list[SectionRank], list[SectionRank]]:
    """Sections by views and columns by views, highest first (one query, plus one per section model)."""
    qs = SectionDailyView.objects.filter(day__range=(period.start, period.end))
    if platform:
        qs = qs.filter(platform=platform)
    rows = list(
        qs.values_list("platform", "section_ref", "column_ref").annotate(views=Sum("views")).order_by()
    )
    labels = ref_labels({r[1] for r in rows} | {r[2] for r in rows})
    sections: dict[tuple[str, str], int] = defaultdict(int)
    for platform_key, section, _column, views in rows:
        sections[(platform_key, section)] += views
    section_list = [
        SectionRank(i, p, s, labels.get(s, s), "", "", v)
        for i, ((p, s), v) in enumerate(sorted(sections.items(), key=lambda x: (-x[1], x[0])), start=1)
    ]
    columns = sorted((r for r in rows if r[2]), key=lambda r: (-r[3], r[1], r[2]))
    column_list = [
        SectionRank(i, p, s, labels.get(s, s), c, labels.get(c, c), v)
        for i, (p, s, c, v) in enumerate(columns, start=1)
    ]
    return section_list, column_list


@dataclass(frozen=True)
class HotItem:
    rank: int
    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    views: int


# The most viewed objects of a period are found without summing every object of it. Each part of the
# period (a whole month in ``ObjectMonthlyView``, a day at its edges in ``ObjectDailyView``) lists its
# ``depth`` most viewed objects of each group (a sub-platform, a section, a column), read
# from the top of an index; the objects listed are the candidates, and their exact totals are summed from
# their own rows (index lookups by object). An object listed nowhere has, in each part, at most the last
# figure of a full list of its group: when the limit-th candidate has more than the sum of those, no such
# object can reach the list, and the answer is exact (the same as summing every row). Otherwise the depth
# grows, and at last every row of the period is summed.
RANKING_DEPTHS = (4, 25)  # times the limit, at least RANKING_MIN_DEPTH
RANKING_MIN_DEPTH = 50
# Part rankings per statement (SQLite allows 500 terms in a compound SELECT).
RANKING_PARTS_PER_QUERY = 400

ObjectKey = tuple[str, int]
Ranked = list[tuple[str, int, int]]  # (kind, object id, views), most viewed first


@dataclass(frozen=True)
class _Part:
    """A whole month (``month``) or a day (``day``) of a period."""

    table: type[Model]
    column: str
    value: date


@dataclass(frozen=True)
class _Group:
    """Rows ranked together: ``column = value`` (an indexed ``(column, day|month, -views)`` prefix), plus
    equalities on other columns that the index scan filters."""

    column: str
    value: str
    also: tuple[tuple[str, str], ...] = ()

    def where(self) -> Q:
        return Q(**{self.column: self.value}, **dict(self.also))


@dataclass(frozen=True)
class _Parts:
    """The parts a period is ranked by: its whole months, then for each edge its days and the months that
    hold it (its *envelope*: an object's views in the edge are at most its views in those months)."""

    months: list[_Part]
    edges: list[tuple[list[_Part], list[_Part]]]  # (days, envelope months)

    def all(self) -> list[_Part]:
        parts = list(self.months)
        for days, envelope in self.edges:
            parts += [*days, *envelope]
        return list(dict.fromkeys(parts))


def _parts(period: Period) -> _Parts:
    split = period_split(period, data_end=today())
    edges = []
    for edge in split.edges:
        firsts = sorted({month_start(day) for day in edge.dates()})
        edges.append(
            (
                [_Part(ObjectDailyView, "day", d) for d in edge.dates()],
                [_Part(ObjectMonthlyView, "month", m) for m in firsts],
            )
        )
    return _Parts([_Part(ObjectMonthlyView, "month", m) for m in split.months], edges)


def _part_rankings(parts: list[_Part], groups: list[_Group], depth: int) -> dict[tuple[int, _Group], Ranked]:
    """``{(part index, group): [(kind, object id, views)…]}``: a part's ``depth`` most viewed of a group."""
    quote = connection.ops.quote_name
    terms: list[tuple[str, list[Any]]] = []
    for index, part in enumerate(parts):
        table = quote(part.table._meta.db_table)
        value = connection.ops.adapt_datefield_value(part.value)
        for number, group in enumerate(groups):
            filters = [(part.column, value), (group.column, group.value), *group.also]
            where = " AND ".join(f"{quote(column)} = %s" for column, _ in filters)
            # Names come from the models and this module; every value is a parameter.
            terms.append(
                (
                    f"SELECT {index}, {number}, kind, object_id, views FROM ("  # noqa: S608
                    f"SELECT kind, object_id, views FROM {table} WHERE {where} "
                    f"ORDER BY views DESC LIMIT {int(depth)}) AS part{len(terms)}",
                    [v for _, v in filters],
                )
            )
    rankings: dict[tuple[int, _Group], Ranked] = defaultdict(list)
    with connection.cursor() as cursor:
        for start in range(0, len(terms), RANKING_PARTS_PER_QUERY):
            chunk = terms[start : start + RANKING_PARTS_PER_QUERY]
            cursor.execute(" UNION ALL ".join(sql for sql, _ in chunk), [p for _, ps in chunk for p in ps])
            for index, number, kind, object_id, views in cursor.fetchall():
                rankings[(index, groups[number])].append((kind, object_id, views))
    return rankings


def _object_filter(objects: Iterable[ObjectKey]) -> Q:
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in objects:
        ids_by_kind[kind].append(object_id)
    q = Q(pk__in=[])
    for kind, ids in sorted(ids_by_kind.items()):
        q |= Q(kind=kind, object_id__in=sorted(ids))
    return q


def _object_totals(period: Period, *, where: Q, limit: int | None = None) -> Ranked:
    """``[(kind, object id, views)]`` of the objects matching ``where`` in the period, most viewed first.

    Whole months are read from the monthly rollup, the edges from the daily one: one query (a union).
    """
    split = period_split(period, data_end=today())
    parts: list[QuerySet] = []
    if split.months:
        parts.append(
            ObjectMonthlyView.objects.filter(where, month__range=(split.months[0], split.months[-1]))
            .values_list("kind", "object_id", "views")
            .order_by()
        )
    for edge in split.edges:  # one range each: an index condition, where an OR of ranges is a filter
        parts.append(
            ObjectDailyView.objects.filter(where, day__range=(edge.start, edge.end))
            .values_list("kind", "object_id", "views")
            .order_by()
        )
    totals: dict[ObjectKey, int] = defaultdict(int)
    if len(parts) == 1:
        for kind, object_id, views in (
            parts[0].values_list("kind", "object_id").annotate(total=Sum("views")).order_by()
        ):
            totals[(kind, object_id)] += views
    else:
        sql, params = _union_sum(parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for kind, object_id, views in cursor.fetchall():
                totals[(kind, object_id)] += views
    ordered = sorted(((k, o, v) for (k, o), v in totals.items()), key=lambda r: (-r[2], r[0], r[1]))
    return ordered if limit is None else ordered[:limit]


def _union_sum(parts: list[QuerySet]) -> tuple[str, list[Any]]:
    """One statement summing views per object over the rows of several querysets (monthly and daily)."""
    terms: list[str] = []
    params: list[Any] = []
    for qs in parts:
        sql, part_params = qs.query.sql_with_params()
        terms.append(f"SELECT * FROM ({sql}) AS part{len(terms)}")  # noqa: S608 (Django's own SQL)
        params.extend(part_params)
    union = " UNION ALL ".join(terms)
    return (
        f"SELECT kind, object_id, SUM(views) FROM ({union}) AS united GROUP BY kind, object_id",  # noqa: S608
        params,
    )


def _unlisted_bound(
    rankings: dict[tuple[int, _Group], Ranked],
    number: dict[_Part, int],
    parts: list[_Part],
    groups: list[_Group],
    depth: int,
) -> int:
    """The most views an object listed in none of the parts' rankings can have in those parts: in each
    part, at most the last figure of a full list of its group (a list that is not full lists everyone)."""
    bound = 0
    for part in parts:
        lasts = [0]
        for group in groups:
            rows = rankings.get((number[part], group), [])
            if len(rows) >= depth:
                lasts.append(rows[-1][2])
        bound += max(lasts)
    return bound


def _ranked_top(*, period: Period, lists: dict[str, list[_Group]], limit: int) -> dict[str, Ranked]:
    """The ``limit`` most viewed objects of each list (the union of its groups): exact, see above."""
    parts = _parts(period)
    every_part = parts.all()
    number = {part: index for index, part in enumerate(every_part)}
    result: dict[str, Ranked] = {}
    pending = dict(lists)
    for factor in RANKING_DEPTHS:
        if not pending:
            break
        depth = max(RANKING_MIN_DEPTH, factor * limit)
        groups = [group for key in pending for group in pending[key]]
        rankings = _part_rankings(every_part, groups, depth)
        candidates: dict[str, set[ObjectKey]] = {key: set() for key in pending}
        bounds: dict[str, int] = {}
        for key, key_groups in pending.items():
            chosen = list(parts.months)
            for days, envelope in parts.edges:
                # An edge is bounded day by day (the sum of each day's last figure) or by the months that
                # hold it (nobody has more views in some days than in their whole month): the tighter
                # one. A long edge's days add up many small figures of different objects, where a month's
                # last figure is one object's.
                by_month = _unlisted_bound(rankings, number, envelope, key_groups, depth)
                by_day = _unlisted_bound(rankings, number, days, key_groups, depth)
                chosen += envelope if by_month < by_day else days
            bounds[key] = _unlisted_bound(rankings, number, chosen, key_groups, depth)
            for part in chosen:
                for group in key_groups:
                    rows = rankings.get((number[part], group), [])
                    candidates[key].update((kind, object_id) for kind, object_id, _views in rows)
        everyone = set().union(*candidates.values())
        totals = _object_totals(period, where=_object_filter(everyone)) if everyone else []
        total_of = {(kind, object_id): views for kind, object_id, views in totals}
        for key in list(pending):
            top = sorted(
                (
                    (kind, object_id, total_of.get((kind, object_id), 0))
                    for kind, object_id in candidates[key]
                ),
                key=lambda r: (-r[2], r[0], r[1]),
            )[:limit]
            # Exact when nothing unlisted can reach the limit-th place (or nothing is left unlisted).
            if not bounds[key] or (len(top) == limit and top[-1][2] > bounds[key]):
                result[key] = top
                del pending[key]
    for key, key_groups in pending.items():  # rankings too flat for the depths above: sum every row
        where = Q(pk__in=[])
        for group in key_groups:
            where |= group.where()
        result[key] = _object_totals(period, where=where, limit=limit)
    return result


def _is_column(ref: str) -> bool:
    """Whether ``ref`` names a column (section and column references never coincide): one probe of the
    monthly rollup's column index (every counted day has its month's row)."""
    return ObjectMonthlyView.objects.filter(column_ref=ref).exists()


# Rankings are read by every dashboard and by the API's ``top``; they change only when a flush adds object
# rows. Each answer is kept in the cache for the generation of the object rollups it was read in (moved after
# every commit that adds object rows, ``rollups_changed``) and the content generation (titles and links),
# at most RANKING_CACHE_SECONDS: a repeat costs one round trip, and a flush shows at once.
ROLLUPS_GENERATION_KEY = "stats:rollups:generation"
RANKING_CACHE_SECONDS = 300


def rollups_changed() -> None:
    """Every cached ranking is stale: now (for readers inside this transaction) and again after the commit
    (a reader between the two may have cached what the transaction had not made visible yet)."""

    def bump() -> None:
        try:
            generation_bump(ROLLUPS_GENERATION_KEY)
        except Exception:
            logger.warning("stats: cannot start a new rollup generation", exc_info=True)

    bump()
    transaction.on_commit(bump)


def _ranking_cached(name: str, vary: Iterable[Any], compute: Callable[[], T]) -> T:
    try:
        found = cache.get_many([ROLLUPS_GENERATION_KEY, GENERATION_KEY])
        rollups = generation_current(ROLLUPS_GENERATION_KEY, found)
        text = "\x1f".join([name, str(rollups), str(found.get(GENERATION_KEY)), *map(repr, vary)])
        key = "stats:ranking:" + hashlib.sha256(text.encode()).hexdigest()
        value = cache.get(key)
    except Exception:
        logger.warning("stats: the cache does not answer, the ranking is read", exc_info=True)
        return compute()
    if value is not None:
        return cast(T, value)
    value = compute()
    try:
        cache.set(key, value, RANKING_CACHE_SECONDS)
    except Exception:
        logger.warning("stats: cannot keep a ranking", exc_info=True)
    return value


def hot_content(
    *, period: Period, platform: str | None = None, section: str | None = None, limit: int = 20
) -> list[HotItem]:
    """The most viewed content of the period (exact, see ``_ranked_top``), with titles and links."""
    return _ranking_cached(
        "hot_content",
        [period, platform, section, limit],
        lambda: _hot_content(period=period, platform=platform, section=section, limit=limit),
    )


def _hot_content(*, period: Period, platform: str | None, section: str | None, limit: int) -> list[HotItem]:
    also = {"platform": platform} if platform else {}
    if section and _is_column(section):
        # A column's rows are few (a column holds one textbook's or one specialty's content), and its
        # covering index ``(column_ref, day|month, -views) INCLUDE (kind, object_id)`` sums them without
        # the table: cheaper than proving a ranking, whose part lists of small columns rarely prove it.
        return _hot_items(_object_totals(period, where=Q(column_ref=section, **also), limit=limit))
    if section:
        lists = {"": [_Group("section_ref", section, tuple(also.items()))]}
    else:
        platforms = [platform] if platform else _content_platforms()
        lists = {key: [_Group("platform", key)] for key in platforms}
    tops = _ranked_top(period=period, lists=lists, limit=limit)
    rows = sorted((r for top in tops.values() for r in top), key=lambda r: (-r[2], r[0], r[1]))[:limit]
    return _hot_items(rows)


def _content_platforms() -> list[str]:
    with_content = {k.platform for k in registry.kinds() if not k.is_page}
    return [key for key in registry.platform_keys() if key in with_content]


def _hot_items(rows: list[tuple[str, int, int]]) -> list[HotItem]:
    """Ranked items with their titles and links: one query per kind listed."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind_key, object_id, _views in rows:
        ids_by_kind[kind_key].append(object_id)
    objects: dict[tuple[str, int], Model] = {}
    for kind_key, ids in sorted(ids_by_kind.items()):
        kind = registry.get_kind(kind_key)
        if kind is None or kind.is_page:
            continue
        if kind.model_class is None:
            continue
        manager = kind.model_class._default_manager
        for pk, found in manager.select_related(*kind.select_related).in_bulk(ids).items():
            objects[(kind_key, pk)] = found
    items = []
    for rank, (kind_key, object_id, views) in enumerate(rows, start=1):
        kind = registry.get_kind(kind_key)
        obj = objects.get((kind_key, object_id))
        title = (
            str(getattr(obj, kind.title_field, obj))
            if obj is not None and kind
            else f"{kind_key} #{object_id}"
        )
        url = _object_url(kind, obj)
        items.append(
            HotItem(rank, kind_key, str(kind.label) if kind else kind_key, object_id, title, url, views)
        )
    return items


def _object_url(kind: registry.ContentKind | None, obj: Model | None) -> str:
    if obj is None or kind is None:
        return ""
    absolute_url = getattr(obj, "get_absolute_url", None)
    if absolute_url is not None:
        return str(absolute_url())
    return reverse(kind.url_name, args=[obj.pk]) if kind.url_name else ""


def hot_content_by_platform(*, period: Period, limit: int = 20) -> dict[str, list[HotItem]]:
    """The top ``limit`` of every platform that has content kinds (rankings of all platforms at once)."""
    return _ranking_cached(
        "hot_content_by_platform",
        [period, limit],
        lambda: _hot_content_by_platform(period=period, limit=limit),
    )


def _hot_content_by_platform(*, period: Period, limit: int) -> dict[str, list[HotItem]]:
    platforms = _content_platforms()
    tops = _ranked_top(
        period=period, lists={key: [_Group("platform", key)] for key in platforms}, limit=limit
    )
    items = _hot_items([row for key in platforms for row in tops[key]])
    result: dict[str, list[HotItem]] = {}
    for key in platforms:
        chosen, items = items[: len(tops[key])], items[len(tops[key]) :]
        result[key] = [replace(item, rank=rank) for rank, item in enumerate(chosen, start=1)]
    return result


# --- Views sent but not counted -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotCounted:
    """Views dropped in a period (over a bucket's key cap, unknown content) and batches set aside now."""

    over_cap: int
    unknown: int
    set_aside_batches: int
    set_aside_views: int

    @property
    def any(self) -> bool:
        return bool(self.over_cap or self.unknown or self.set_aside_batches)


def not_counted(*, period: Period) -> NotCounted:
    """Two queries: the dropped views of the period by reason, and the batches set aside (any day)."""
    dropped = dict(
        DroppedDailyView.objects.filter(day__range=(period.start, period.end))
        .values_list("reason")
        .annotate(n=Sum("views"))
        .order_by()
    )
    aside = FailedBatch.objects.filter(set_aside_at__isnull=False).aggregate(
        n=Count("pk"), views=Sum("views")
    )
    return NotCounted(
        over_cap=dropped.get(DroppedReason.OVER_CAP, 0),
        unknown=dropped.get(DroppedReason.UNKNOWN, 0),
        set_aside_batches=aside["n"] or 0,
        set_aside_views=aside["views"] or 0,
    )
