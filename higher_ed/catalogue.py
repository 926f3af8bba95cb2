"""The catalogue index: ``Course.objects.visible()`` materialised per process as bitsets, for facet counts.

Counting every value of nine facets, each under the other chosen filters, is nine grouped scans of the course
table per page in SQL. Here every facet value is a Python integer with one bit per visible course, so a count
is an AND and a popcount, and a page of 20 ordered courses is a sort of the matching positions; the courses
themselves are then read by primary key from ``Course.objects.visible()``.

Freshness: the index is built from ``Course.objects.visible()`` under a *catalogue token*
(``CatalogueState``) that every write changing visibility or facets replaces in its own transaction (a
platform switch, a course created, delisted or edited, run statuses moving, the nightly hot scores, the
seed). Each request reads the token (one query by primary key) and rebuilds the index when it changed, so a
switched-off platform leaves every list and count in the next request, without touching the course rows. An
index older than ``MAX_AGE`` seconds is rebuilt anyway; the "most enrolled" order reads enrolment counts as
of the last build.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from django.db import transaction
from django.utils import timezone

from higher_ed import rules
from higher_ed.models import (
    LANGUAGE_BITS,
    RUN_STATUS_BITS,
    CatalogueState,
    Course,
    CourseTeacher,
    Platform,
)
from smartedu.portal.pagecache import page_cache_invalidate
from smartedu.portal.precompiled import Precompiled

MAX_AGE = 300.0
FACET_FIELDS = {
    "category": 1,
    "specialty_class": 2,
    "university": 3,
    "platform": 4,
}

# For each byte value, the positions of its set bits (to list the courses of a bitset fast).
_BYTE_BITS: list[tuple[int, ...]] = [tuple(i for i in range(8) if b >> i & 1) for b in range(256)]


def positions(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, ascending."""
    found: list[int] = []
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            found.extend(base + bit for bit in _BYTE_BITS[byte])
    return found


def bitset_of(items: Iterable[int], size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for position in items:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


@dataclass(frozen=True)
class Term:
    """A suggestion: a course title, a university or a teacher, folded for matching."""

    folded: str
    text: str
    kind: str
    pk: int | None  # None: a course title shared by several courses (it searches the catalogue)
    weight: int


@dataclass
class CatalogueIndex:
    token: str
    built_at: float
    ids: list[int]
    everything: int
    bits: dict[str, dict[Any, int]]
    texts: list[str]
    titles: list[str]
    hot_rank: list[int]
    newest_rank: list[int]
    enrolled_rank: list[int]
    university_names: dict[int, str]
    university_of: list[int]
    platforms: list[Platform]
    terms: list[Term] = field(default_factory=list)
    # For each character, the positions in ``terms`` of the terms containing it (in the terms' order).
    term_chars: dict[str, list[int]] = field(default_factory=dict)
    keyword_cache: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)


_state = Precompiled(lambda pk: CatalogueState.objects.filter(pk=pk), pk=int)


def catalogue_token() -> str:
    """The catalogue's current token (read on every catalogue request: a precompiled statement)."""
    state = _state.first(pk=1)
    return state.token if state is not None else ""


def catalogue_changed() -> None:
    """Replace the catalogue token (call inside the transaction of the write that changed the catalogue)."""
    token = uuid.uuid4().hex
    if not CatalogueState.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
        CatalogueState.objects.update_or_create(pk=1, defaults={"token": token, "changed_at": timezone.now()})
    # Other processes see the new token when the transaction commits; this one may hold an index built
    # inside the transaction: forget it then.
    transaction.on_commit(forget)
    # Cached pages and blocks of pages show the catalogue too (a queryset update sends no signal).
    page_cache_invalidate()


_lock = threading.Lock()
_index: CatalogueIndex | None = None


def forget() -> None:
    global _index
    _index = None


def catalogue_index() -> CatalogueIndex:
    """The current index of this process, rebuilt when the catalogue token changed (one query to check)."""
    global _index
    token = catalogue_token()
    index = _index
    if index is not None and index.token == token and time.monotonic() - index.built_at < MAX_AGE:
        return index
    with _lock:
        index = _index
        if index is None or index.token != token or time.monotonic() - index.built_at >= MAX_AGE:
            index = build(token=token)
            _index = index
    return index


def build(*, token: str) -> CatalogueIndex:
    """Read ``Course.objects.visible()`` (three queries) and make the bitsets and suggestion terms."""
    rows = list(
        Course.objects.visible()
        .order_by("pk")
        .values_list(
            "pk",
            "category_id",
            "specialty_class_id",
            "university_id",
            "platform_id",
            "languages",
            "first_class",
            "credit",
            "international",
            "run_statuses",
            "search_text",
            "title",
            "hot_score",
            "enrollment_count",
            "published_at",
            "university__name",
        )
    )
    size = len(rows)
    grouped: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(list))
    for position, row in enumerate(rows):
        for facet, column in FACET_FIELDS.items():
            if row[column] is not None:
                grouped[facet][row[column]].append(position)
        for code, bit in LANGUAGE_BITS.items():
            if row[5] & bit:
                grouped["language"][code].append(position)
        for facet, column in (("first_class", 6), ("credit", 7), ("international", 8)):
            grouped[facet][bool(row[column])].append(position)
        for code, bit in RUN_STATUS_BITS.items():
            if row[9] & bit:
                grouped["status"][code].append(position)
    bits = {
        facet: {value: bitset_of(items, size) for value, items in values.items()}
        for facet, values in grouped.items()
    }
    ids = [row[0] for row in rows]
    order = sorted(range(size), key=lambda p: (-rows[p][12], -rows[p][0]))
    hot_rank = [0] * size
    for rank, position in enumerate(order):
        hot_rank[position] = rank
    order = sorted(range(size), key=lambda p: (rows[p][14], rows[p][0]), reverse=True)
    newest_rank = [0] * size
    for rank, position in enumerate(order):
        newest_rank[position] = rank
    order = sorted(range(size), key=lambda p: (-rows[p][13], -rows[p][0]))
    enrolled_rank = [0] * size
    for rank, position in enumerate(order):
        enrolled_rank[position] = rank
    university_names = {row[3]: row[15] for row in rows}
    index = CatalogueIndex(
        token=token,
        built_at=time.monotonic(),
        ids=ids,
        everything=(1 << size) - 1,
        bits=bits,
        texts=[row[10] for row in rows],
        titles=[row[11] for row in rows],
        hot_rank=hot_rank,
        newest_rank=newest_rank,
        enrolled_rank=enrolled_rank,
        university_names=university_names,
        university_of=[row[3] for row in rows],
        platforms=list(Platform.objects.visible()),
    )
    index.terms = _terms(rows)
    chars: dict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(index.terms):
        for char in set(term.folded):
            chars[char].append(position)
    index.term_chars = dict(chars)
    return index


def _terms(rows: list[tuple]) -> list[Term]:
    titles: dict[str, list[tuple[int, int]]] = defaultdict(list)
    universities: dict[int, int] = defaultdict(int)
    for row in rows:
        titles[row[11]].append((row[12], row[0]))
        universities[row[3]] += 1
    terms = [
        Term(
            rules.fold(title),
            title,
            "course",
            found[0][1] if len(found) == 1 else None,
            max(h for h, _pk in found),
        )
        for title, found in titles.items()
    ]
    names = {row[3]: row[15] for row in rows}
    terms += [Term(rules.fold(names[pk]), names[pk], "university", pk, n) for pk, n in universities.items()]
    teachers: dict[int, list[Any]] = {}
    if not rows:
        return terms
    for teacher_id, name in CourseTeacher.objects.filter(course__in=Course.objects.visible()).values_list(
        "teacher_id", "teacher__name"
    ):
        entry = teachers.setdefault(teacher_id, [name, 0])
        entry[1] += 1
    terms += [Term(rules.fold(name), name, "teacher", pk, n) for pk, (name, n) in teachers.items()]
    terms.sort(key=lambda t: (-t.weight, t.text))
    return terms


# --- Queries ---------------------------------------------------------------------------------------------


class CourseResults:
    """The matching courses in their order: counted from the index, read from the database a page at a time.

    Django's ``Paginator`` and DRF's pagination take it like a queryset (``count()`` and slices).
    """

    def __init__(
        self,
        *,
        index: CatalogueIndex,
        mask: int,
        rank: list[int] | None = None,
        relevance: dict[int, int] | None = None,
    ) -> None:
        self.catalogue = index
        self.mask = mask
        self.rank = rank
        self.relevance = relevance
        self._ordered: list[int] | None = None

    def count(self) -> int:
        return self.mask.bit_count()

    def __len__(self) -> int:
        return self.count()

    def ordered_ids(self) -> list[int]:
        if self._ordered is None:
            found = positions(self.mask)
            rank = self.rank or self.catalogue.hot_rank
            if self.relevance is not None:
                relevance = self.relevance
                found.sort(key=lambda p: (relevance.get(p, 9), rank[p]))
            else:
                found.sort(key=rank.__getitem__)
            self._ordered = [self.catalogue.ids[p] for p in found]
        return self._ordered

    @overload
    def __getitem__(self, item: int) -> Course: ...

    @overload
    def __getitem__(self, item: slice) -> list[Course]: ...

    def __getitem__(self, item: int | slice) -> Course | list[Course]:
        if isinstance(item, int):
            return self[item : item + 1][0]
        ids = self.ordered_ids()[item]
        from higher_ed.selectors import course_list_queryset

        found = course_list_queryset().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self) -> Iterator[Course]:
        return iter(self[:])
