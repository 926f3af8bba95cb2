"""Demo view history: 90 days shaped like the launch figures of the seed (headline_figures.md).

The 90 days stand for 1 January – 31 March 2022 and are placed so that the last of them is the day before
the first ``seed_demo`` run ("yesterday"); today is left to the real counting. K-12 follows the reported
curve: about 12.91 million views a day in the first two weeks of March, a rise from 15 March to a peak of
64.33 million, 46.19 million a day in the last two weeks (2.6 times more: "rose 2.6 times"), 28.88 million
a day on average over 1–25 March (722 million). The other sub-platforms and the portal get smaller, flatter
curves. Provinces: Guangxi highest, then Shaanxi, Gansu, Inner Mongolia and Yunnan; 3 % of views come
without a known province (addresses abroad or unknown to the IP database). ``--scale small`` divides every
figure by 1,000.

Idempotent and fast to re-run: the history and each content kind's share are written once, each in one
transaction with a marker in ``ProcessedBatch`` — the same exactly-once mechanism as the flush.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartedu.portal.registry import Progress
from smartedu.stats import registry
from smartedu.stats.models import (
    PlatformDailyView,
    PlatformHourlyView,
    ProcessedBatch,
    ProvinceDailyView,
    SectionDailyView,
)
from smartedu.stats.services import object_views_add, view_counters_add
from smartedu.stats.upsert import upsert

DAYS = 90
SEED_FIRST_DAY = date(2022, 1, 1)
DIVISOR = {"small": 1000, "seed": 1}
HISTORY_MARKER = "seed:v1:history:"
KIND_MARKER = "seed:v1:kind:"
TOP_OBJECTS = 30

# Share of a sub-platform's views by province code (the rest: province unknown).
PROVINCE_SHARE = {"45": 0.070, "61": 0.031, "62": 0.030, "15": 0.016, "53": 0.015}
OTHER_PROVINCES = [
    "11", "12", "13", "14", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "46", "50", "51", "52", "54", "63", "64", "65",
]  # fmt: skip
for _code in OTHER_PROVINCES:
    PROVINCE_SHARE[_code] = 0.004 + 0.0008 * (int(_code) * 7 % 10)
# Every view gets its province from the client address (ip2region), so only a few per cent stay unknown:
# addresses abroad or missing from the offline database. The provinces keep their relative weights.
UNKNOWN_SHARE = 0.03
_KNOWN = sum(PROVINCE_SHARE.values())
PROVINCE_SHARE = {code: share * (1 - UNKNOWN_SHARE) / _KNOWN for code, share in PROVINCE_SHARE.items()}

# Share of a day's views by hour (Asia/Shanghai): low at night, peaks mid-morning, afternoon and evening.
HOURLY = [0.6, 0.35, 0.25, 0.2, 0.2, 0.3, 0.8, 1.6, 2.6, 3.1, 3.2, 2.8,
          2.0, 2.2, 2.9, 3.0, 2.8, 2.4, 2.2, 2.6, 2.7, 2.2, 1.5, 0.9]  # fmt: skip

# Other sub-platforms: (level in views a day at full scale, growth over March, views per unique visitor).
PLATFORM_LEVEL = {
    "vocational": (2_900_000, 0.10, 2.8),
    "higher_ed": (2_200_000, 0.15, 2.8),
    "employment": (1_400_000, 0.40, 2.6),
    "portal": (600_000, 0.30, 1.6),
}
K12_VIEWS_PER_VISITOR = 3.4


def _weekend(day: date) -> bool:
    return day.weekday() >= 5


def _scaled(values: list[float], total: float) -> list[float]:
    factor = total / sum(values)
    return [v * factor for v in values]


def k12_daily_millions() -> list[float]:
    """K-12 views (millions) on each day of 1 January – 31 March 2022, matching the press figures."""
    days = [SEED_FIRST_DAY + timedelta(days=i) for i in range(DAYS)]
    shape = [(0.85 if _weekend(d) else 1.0) * (1 + 0.05 * math.sin(i / 3.1)) for i, d in enumerate(days)]
    jan_feb = [10.2 * s * (0.75 if date(2022, 1, 31) <= d <= date(2022, 2, 6) else 1.0)
               for d, s in zip(days[:59], shape[:59], strict=True)]  # fmt: skip
    march_first = _scaled(shape[59:73], 12.91 * 14)  # 1–14 March
    rise = [28.0, 36.0, 44.0]  # 15–17 March
    before_peak = _scaled([50, 54, 58, 60, 57, 55, 52], 433.26 - 64.33)  # 18–25 March without the peak
    peak_week = [*before_peak[:3], 64.33, *before_peak[3:]]  # the peak on 21 March
    march_end = _scaled([40, 38, 36, 35, 33, 32], 213.40)  # 26–31 March
    return jan_feb + march_first + rise + peak_week + march_end


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainder: the parts add up exactly)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def daily_views(*, scale: str) -> dict[str, list[int]]:
    """``{platform: [views on each of the 90 days]}`` at the given scale."""
    divisor = DIVISOR[scale]
    days = [SEED_FIRST_DAY + timedelta(days=i) for i in range(DAYS)]
    series = {"k12": [round(m * 1_000_000 / divisor) for m in k12_daily_millions()]}
    for platform, (level, growth, _ratio) in PLATFORM_LEVEL.items():
        series[platform] = [
            round(
                level
                / divisor
                * (0.8 if _weekend(d) else 1.0)
                * (1 + 0.06 * math.sin(i / 4 + len(platform)))
                * (1 + growth * max(0, i - 58) / 31)
            )
            for i, d in enumerate(days)
        ]
    return series


def _visitors(platform: str, views: int) -> int:
    ratio = K12_VIEWS_PER_VISITOR if platform == "k12" else PLATFORM_LEVEL[platform][2]
    return round(views / ratio)


def _anchor() -> date | None:
    marker = ProcessedBatch.objects.filter(batch_id__startswith=HISTORY_MARKER).values_list(
        "batch_id", flat=True
    )
    first = marker.first()
    return date.fromisoformat(first.removeprefix(HISTORY_MARKER).split(":")[0]) if first else None


def seed_view_history(*, scale: str, progress: Progress) -> None:
    """Write the 90 days of history once, then each content kind's share once (see the module docstring)."""
    last_day = _anchor()
    if last_day is None:
        last_day = timezone.localdate() - timedelta(days=1)
        _history_write(scale=scale, last_day=last_day, progress=progress)
    for kind in progress(registry.kinds(), desc="view history"):
        if not kind.is_page and not ProcessedBatch.objects.filter(batch_id=KIND_MARKER + kind.key).exists():
            _kind_write(kind=kind, scale=scale, last_day=last_day)


@transaction.atomic
def _history_write(*, scale: str, last_day: date, progress: Progress) -> None:
    first_day = last_day - timedelta(days=DAYS - 1)
    platforms = [p for p in registry.platform_keys() if p in PLATFORM_LEVEL or p == "k12"]
    series = daily_views(scale=scale)
    provinces = list(PROVINCE_SHARE)
    province_weights = [*PROVINCE_SHARE.values(), 1 - sum(PROVINCE_SHARE.values())]
    tz = timezone.get_current_timezone()
    daily: list[dict[str, Any]] = []
    hourly: list[dict[str, Any]] = []
    by_province: list[dict[str, Any]] = []
    for i in progress(range(DAYS), total=DAYS, desc="view history"):
        day = first_day + timedelta(days=i)
        for platform in platforms:
            views = series[platform][i]
            daily.append(
                {"day": day, "platform": platform, "views": views, "visitors": _visitors(platform, views)}
            )
            for h, n in enumerate(split(views, HOURLY)):
                hour = datetime.combine(day, time(hour=h), tzinfo=tz)
                hourly.append({"hour": hour, "platform": platform, "views": n})
            for code, n in zip([*provinces, ""], split(views, province_weights), strict=True):
                by_province.append({"day": day, "platform": platform, "province_code": code, "views": n})
    ProcessedBatch.objects.create(
        batch_id=f"{HISTORY_MARKER}{last_day.isoformat()}:{scale}", views=sum(r["views"] for r in daily)
    )
    upsert(PlatformDailyView, daily, conflict=["day", "platform"], merge={"views": "add", "visitors": "max"})
    upsert(PlatformHourlyView, hourly, conflict=["hour", "platform"], merge={"views": "add"})
    upsert(
        ProvinceDailyView, by_province, conflict=["day", "platform", "province_code"], merge={"views": "add"}
    )


def _ranked(ids: list[int]) -> list[int]:
    """The objects in a fixed, shuffled order of popularity: a few are very popular, most are not."""
    return sorted(ids, key=lambda pk: (pk * 2654435761) % 4294967296)


def _weight(rank: int) -> float:
    return 1 / (rank + 5) ** 0.9


@dataclass
class _Popularity:
    total: float = 0.0
    places: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    top: list[tuple[int, float, registry.Location]] = field(default_factory=list)


def _popularity(
    ranked: list[int], locate: Callable[[list[int]], dict[int, registry.Location]], *, top: int = TOP_OBJECTS
) -> _Popularity:
    """The weights of ``ranked``'s objects summed in all and per section and column, and the ``top`` most
    popular with their weight and location: read a thousand locations at a time, in the order of rank, so
    that nothing per object is held (3.8 million jobs held 2 GB as dictionaries)."""
    found = _Popularity()
    for start in range(0, len(ranked), 1000):
        chunk = ranked[start : start + 1000]
        locations = locate(chunk)
        for rank, pk in enumerate(chunk, start):
            weight = _weight(rank)
            found.total += weight
            location = locations.get(pk, registry.NOWHERE)
            if location.section_ref:
                found.places[(location.section_ref, location.column_ref)] += weight
            if rank < top:
                found.top.append((pk, weight, location))
    return found


@transaction.atomic
def _kind_write(*, kind: registry.ContentKind, scale: str, last_day: date) -> None:
    if kind.model_class is None:
        return
    pks = kind.model_class._default_manager.order_by("pk").values_list("pk", flat=True)
    ranked = _ranked(list(pks.iterator(chunk_size=10_000)))
    ProcessedBatch.objects.create(batch_id=KIND_MARKER + kind.key, views=0)
    if not ranked or kind.platform not in daily_views(scale=scale):
        return
    siblings = [k for k in registry.kinds() if k.platform == kind.platform and not k.is_page]
    counts = {k.key: k.model_class._default_manager.count() for k in siblings if k.model_class is not None}
    fraction = len(ranked) / sum(counts.values())
    platform_series = daily_views(scale=scale)[kind.platform]
    popularity = _popularity(ranked, kind.locations)
    del ranked
    total_weight = popularity.total
    place_weight = popularity.places
    places = sorted(place_weight)
    first_day = last_day - timedelta(days=DAYS - 1)
    objects: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    totals: dict[int, int] = defaultdict(int)
    for i in range(DAYS):
        day = first_day + timedelta(days=i)
        kind_views = round(platform_series[i] * fraction)
        for pk, weight, location in popularity.top:
            views = round(kind_views * weight / total_weight)
            totals[pk] += views
            objects.append(
                {
                    "day": day,
                    "kind": kind.key,
                    "object_id": pk,
                    "platform": kind.platform,
                    "section_ref": location.section_ref,
                    "column_ref": location.column_ref,
                    "views": views,
                }
            )
        placed = round(kind_views * sum(place_weight.values()) / total_weight)
        for (section, column), views in zip(
            places, split(placed, [place_weight[p] for p in places]), strict=True
        ):
            sections.append(
                {
                    "day": day,
                    "platform": kind.platform,
                    "section_ref": section,
                    "column_ref": column,
                    "views": views,
                }
            )
    object_views_add(rows=objects)
    upsert(
        SectionDailyView,
        sections,
        conflict=["day", "platform", "section_ref", "column_ref"],
        merge={"views": "add"},
    )
    if kind.counter_field:
        view_counters_add(kind=kind, increments=totals)
