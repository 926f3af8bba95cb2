"""Recommendation rules any sub-platform can use, computed from the index (never from another app's models).

* ``same_facet``: other documents sharing a facet value (K-12: the same unit; vocational: the same
  specialty), most viewed first.
* ``similar_titles``: documents of the same partition (subject, discipline) whose titles share meaningful
  words, weighted by how rare each word is in that partition (IDF), optionally only where another facet
  differs (K-12: the same knowledge topic in *another* edition). Vocational and higher education use it for
  "similar courses".

Both read documents in one query per partition and compute in Python, inside a Celery task. Sources that
are not documents (a graduate's résumé, for "jobs for a graduate") write their own ``compute``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q

from smartedu.search.models import Recommendation, SearchDocument
from smartedu.search.registry import RecommendationRow
from smartedu.search.text import parse_query

Compute = Callable[[list[int] | None], Iterable[RecommendationRow]]
Affected = Callable[[list[int]], list[int]]
# Words that name a kind of section rather than a topic.
GENERIC = frozenset(
    {"课题", "学习", "课题学习", "实际", "问题", "实际问题", "应用", "简单", "初步", "认识", "及其"}
)


def _documents(kind: str, facet: str, values: set[str] | None) -> list[SearchDocument]:
    rows = SearchDocument.objects.filter(kind=kind).only(
        "object_id", "title", "facets", "facet_labels", "popularity", "kind"
    )
    if values is not None:
        rows = rows.filter(**{f"facets__{facet}__in": sorted(values)})
    return list(rows)


def _facet_values(kind: str, facet: str, ids: list[int]) -> set[str]:
    return {
        str(facets.get(facet))
        for facets in SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list(
            "facets", flat=True
        )
        if facets.get(facet) is not None
    }


def same_facet(*, kind: str, facet: str, reason: str, limit: int = 4, detail_label: str = "") -> Compute:
    def compute(ids: list[int] | None) -> Iterable[RecommendationRow]:
        values = None if ids is None else _facet_values(kind, facet, ids)
        groups: dict[str, list[SearchDocument]] = defaultdict(list)
        for row in _documents(kind, facet, values):
            if row.facets.get(facet) is not None:
                groups[str(row.facets[facet])].append(row)
        wanted = None if ids is None else set(ids)
        for members in groups.values():
            members.sort(key=lambda r: (-r.popularity, r.object_id))
            for source in members:
                if wanted is not None and source.object_id not in wanted:
                    continue
                others = [m for m in members if m.object_id != source.object_id][:limit]
                for rank, target in enumerate(others):
                    yield RecommendationRow(
                        source_id=source.object_id,
                        target_kind=kind,
                        target_id=target.object_id,
                        reason=reason,
                        score=float(limit - rank),
                        detail=target.facet_labels.get(detail_label, "") if detail_label else "",
                    )

    return compute


def title_words(title: str) -> set[str]:
    return {w for w in parse_query(title).words() if len(w) >= 2 and not w.isdigit() and w not in GENERIC}


def similar_titles(
    *,
    kind: str,
    partition: str,
    reason: str,
    differ: str | None = None,
    limit: int = 4,
    min_score: float = 1.0,
    detail_label: str = "",
) -> Compute:
    def compute(ids: list[int] | None) -> Iterable[RecommendationRow]:
        values = None if ids is None else _facet_values(kind, partition, ids)
        groups: dict[str, list[SearchDocument]] = defaultdict(list)
        for row in _documents(kind, partition, values):
            groups[str(row.facets.get(partition))].append(row)
        wanted = None if ids is None else set(ids)
        for members in groups.values():
            words = {m.object_id: title_words(m.title) for m in members}
            frequency = Counter(word for ws in words.values() for word in ws)
            idf = {w: math.log(1 + len(members) / n) for w, n in frequency.items()}
            holders: dict[str, list[SearchDocument]] = defaultdict(list)
            for member in members:
                for word in words[member.object_id]:
                    holders[word].append(member)
            for source in members:
                if wanted is not None and source.object_id not in wanted:
                    continue
                scores: dict[int, float] = defaultdict(float)
                shared: dict[int, list[str]] = defaultdict(list)
                by_id = {}
                for word in words[source.object_id]:
                    for other in holders[word]:
                        if other.object_id == source.object_id:
                            continue
                        if differ and other.facets.get(differ) == source.facets.get(differ):
                            continue
                        scores[other.object_id] += idf[word]
                        shared[other.object_id].append(word)
                        by_id[other.object_id] = other
                ranked = sorted(
                    (pk for pk, score in scores.items() if score >= min_score),
                    key=lambda pk: (-scores[pk], -by_id[pk].popularity, pk),
                )[:limit]
                for pk in ranked:
                    target = by_id[pk]
                    label = target.facet_labels.get(detail_label, "") if detail_label else ""
                    words_text = "、".join(sorted(shared[pk], key=len, reverse=True)[:3])
                    yield RecommendationRow(
                        source_id=source.object_id,
                        target_kind=kind,
                        target_id=pk,
                        reason=reason,
                        score=round(scores[pk], 3),
                        detail=" · ".join(filter(None, [label, words_text])),
                    )

    return compute


def neighbours_in_index(*, kind: str, facets: tuple[str, ...]) -> Affected:
    """The objects whose recommendations may change with ``ids``: those sharing one of ``facets`` with
    them, and those that recommend them today."""

    def affected(ids: list[int]) -> list[int]:
        condition = Q()
        for facet in facets:
            values = _facet_values(kind, facet, ids)
            if values:
                condition |= Q(**{f"facets__{facet}__in": sorted(values)})
        found: set[int] = set()
        if condition:
            found |= set(
                SearchDocument.objects.filter(condition, kind=kind).values_list("object_id", flat=True)
            )
        found |= set(
            Recommendation.objects.filter(
                source_kind=kind, target__kind=kind, target__object_id__in=ids
            ).values_list("source_id", flat=True)
        )
        return sorted(found)

    return affected
