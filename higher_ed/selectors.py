"""Every non-trivial read of the higher-education platform (STYLE.md: selectors do reads).

Everything a visitor sees starts from ``Course.objects.visible()``. The catalogue has one entry point for
keyword and facets, ``course_search``, and one for the sidebar, ``facet_counts``; both take a validated
``CatalogueQuery`` (``higher_ed.filters`` builds it from the URL).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from higher_ed import catalogue, rules
from higher_ed.catalogue import CourseResults
from higher_ed.models import (
    AnomalyFlag,
    Course,
    CourseRun,
    CourseTeacher,
    CourseUnit,
    CreditCourseFigure,
    CreditRecognitionFigure,
    DisciplineCategory,
    Enrollment,
    Language,
    Platform,
    PlatformSwitch,
    RunStatus,
    SpecialtyClass,
    Teacher,
    UnitProgress,
)
from smartedu.institutions.models import Institution
from smartedu.portal.precompiled import Precompiled

# --- Taxonomy (reference data, cached per process) ---------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    """The 13 categories and 92 classes by code: ``{code: (id, name)}`` and each class's category code."""

    categories: dict[str, tuple[int, str]]
    classes: dict[str, tuple[int, str, str]]

    def category_code_of_class(self, code: str) -> str | None:
        entry = self.classes.get(code)
        return entry[2] if entry else None


_TAXONOMY_SECONDS = 300.0
_taxonomy: tuple[float, Taxonomy] | None = None


def taxonomy() -> Taxonomy:
    """Categories and classes change only with a new catalogue edition: read them once per process and
    five minutes (no query on the catalogue's hot path)."""
    global _taxonomy
    now = time.monotonic()
    if _taxonomy is None or now - _taxonomy[0] > _TAXONOMY_SECONDS:
        categories: dict[str, tuple[int, str]] = {}
        classes: dict[str, tuple[int, str, str]] = {}
        # One query: every category with its classes (LEFT JOIN: 14 交叉学科 has none).
        for pk, code, name, class_pk, class_code, class_name in DisciplineCategory.objects.order_by(
            "code", "classes__code"
        ).values_list("pk", "code", "name", "classes__pk", "classes__code", "classes__name"):
            categories[code] = (pk, name)
            if class_pk is not None:
                classes[class_code] = (class_pk, class_name, code)
        _taxonomy = (now, Taxonomy(categories=categories, classes=classes))
    return _taxonomy[1]


@dataclass(frozen=True)
class DisciplineEntry:
    code: str
    name: str
    classes: list[DisciplineEntry]


def disciplines() -> list[DisciplineEntry]:
    """The categories with their classes, from the cached taxonomy (no query)."""
    tax = taxonomy()
    return [
        DisciplineEntry(
            code,
            name,
            [DisciplineEntry(c, n, []) for c, (_pk, n, owner) in tax.classes.items() if owner == code],
        )
        for code, (_pk, name) in tax.categories.items()
    ]


def taxonomy_forget() -> None:
    global _taxonomy
    _taxonomy = None


def category_list() -> QuerySet[DisciplineCategory]:
    """Discipline categories with their specialty classes, in two queries."""
    return DisciplineCategory.objects.prefetch_related("classes")


def category_count() -> int:
    return DisciplineCategory.objects.count()


def specialty_class_count() -> int:
    return SpecialtyClass.objects.count()


# --- Headline figures (one query each) ---------------------------------------------------------------


def visible_course_count() -> int:
    return Course.objects.visible().count()


def visible_university_count() -> int:
    return Course.objects.visible().values("university_id").distinct().count()


def visible_platform_count() -> int:
    return Platform.objects.visible().count()


def visible_international_count() -> int:
    return Course.objects.visible().filter(international=True).count()


# --- The catalogue -------------------------------------------------------------------------------------

FACETS = (
    "category",
    "specialty_class",
    "university",
    "platform",
    "language",
    "first_class",
    "credit",
    "international",
    "status",
)
ORDERINGS = ("relevance", "hot", "newest", "enrolled")
BOOLEAN_FACETS = ("first_class", "credit", "international")


@dataclass(frozen=True)
class CatalogueQuery:
    """A validated catalogue query: facet choices resolved to ids (``None``: not chosen)."""

    category: int | None = None
    specialty_class: int | None = None
    university: int | None = None
    platform: int | None = None
    language: str | None = None
    first_class: bool | None = None
    credit: bool | None = None
    international: bool | None = None
    status: str | None = None
    q: str = ""
    ordering: str = "relevance"

    def chosen(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name) is not None}


KEYWORD_CACHE_SIZE = 512


def _keyword_terms(q: str) -> list[str]:
    return [term for term in rules.fold(q).split(" ") if term][:8]


def _keyword(index: catalogue.CatalogueIndex, q: str) -> int:
    """THE keyword match: the courses whose title, university, teachers or discipline contain every word.

    The one place that reads ``q``: the search engine of ``smartedu.search`` replaces this body when it lands
    (``higher_ed/search.py`` builds its documents); it returns the matching courses as an index bitset.
    """
    terms = _keyword_terms(q)
    if not terms:
        return index.everything
    key = " ".join(terms)
    mask = index.keyword_cache.get(key)
    if mask is None:
        texts = index.texts
        mask = catalogue.bitset_of(
            (p for p in range(index.size) if all(term in texts[p] for term in terms)), index.size
        )
        if len(index.keyword_cache) >= KEYWORD_CACHE_SIZE:
            index.keyword_cache.clear()
        index.keyword_cache[key] = mask
    return mask


def _chosen_bits(index: catalogue.CatalogueIndex, query: CatalogueQuery) -> dict[str, int]:
    """The bitset of each chosen facet value (an unknown value matches nothing)."""
    return {facet: index.bits.get(facet, {}).get(value, 0) for facet, value in query.chosen().items()}


def _all_but(base: int, chosen: dict[str, int], facet: str | None) -> int:
    mask = base
    for name, bits in chosen.items():
        if name != facet:
            mask &= bits
    return mask


def course_list_queryset(*, teacher_related: tuple[str, ...] = ("teacher",)) -> QuerySet[Course]:
    """Visible courses with what a list shows: university, platform, discipline and teachers (2 queries)."""
    return (
        Course.objects.visible()
        .select_related("university", "platform", "category", "specialty_class")
        .prefetch_related(
            Prefetch(
                "course_teachers",
                queryset=CourseTeacher.objects.select_related(*teacher_related).order_by("order"),
                to_attr="ordered_teachers",
            )
        )
    )


def _relevance(index: catalogue.CatalogueIndex, mask: int, q: str) -> dict[int, int]:
    """Title beginning with the keyword first, then containing it, then matched elsewhere."""
    whole = rules.fold(q)
    ranks = {}
    for position in catalogue.positions(mask):
        title = rules.fold(index.titles[position])
        ranks[position] = 0 if title.startswith(whole) else 1 if whole in title else 2
    return ranks


def course_search(*, query: CatalogueQuery, index: catalogue.CatalogueIndex | None = None) -> CourseResults:
    """THE catalogue selector: visible courses matching the keyword and every chosen facet, in order.

    Counted and ordered from the catalogue index; each page is read by primary key from
    ``Course.objects.visible()`` with its university, platform, discipline and teachers (two queries).
    """
    index = index or catalogue.catalogue_index()
    mask = _all_but(_keyword(index, query.q), _chosen_bits(index, query), None)
    if query.ordering == "newest":
        return CourseResults(index=index, mask=mask, rank=index.newest_rank)
    if query.ordering == "enrolled":
        return CourseResults(index=index, mask=mask, rank=index.enrolled_rank)
    if query.ordering == "relevance" and rules.fold(query.q):
        return CourseResults(
            index=index, mask=mask, rank=index.hot_rank, relevance=_relevance(index, mask, query.q)
        )
    return CourseResults(index=index, mask=mask, rank=index.hot_rank)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def _bool_value(value: bool) -> str:
    return "true" if value else "false"


BOOLEAN_LABELS = {
    "first_class": (_("National first-class"), _("Not first-class")),
    "credit": (_("Credit course"), _("No credits")),
    "international": (_("International"), _("Domestic")),
}


def _counts(base: int, values: dict[Any, int]) -> dict[Any, int]:
    return {value: (base & bits).bit_count() for value, bits in values.items()}


def _university_counts(index: catalogue.CatalogueIndex, base: int) -> dict[int, int]:
    """Per university: few matching courses are tallied one by one, many by a popcount per university."""
    universities = index.bits.get("university", {})
    found = base.bit_count()
    if found * 4 < len(universities) * 64:
        owner = index.university_of
        counts: dict[int, int] = defaultdict(int)
        for position in catalogue.positions(base):
            counts[owner[position]] += 1
        return counts
    return _counts(base, universities)


def facet_counts(
    *, query: CatalogueQuery, index: catalogue.CatalogueIndex | None = None, university_limit: int = 50
) -> dict[str, list[FacetValue]]:
    """``{facet: [FacetValue]}``: each value's count of visible courses matching the keyword and every
    chosen facet except the value's own (a facet does not filter its own counts).

    Computed from the catalogue index with no query. Values with no course are left out unless chosen;
    universities are the ``university_limit`` with most courses (plus the chosen one).
    """
    index = index or catalogue.catalogue_index()
    base = _keyword(index, query.q)
    chosen_bits = _chosen_bits(index, query)
    chosen = query.chosen()
    everyone = _all_but(base, chosen_bits, None)

    def others(facet: str) -> int:
        return _all_but(base, chosen_bits, facet) if facet in chosen else everyone

    tax = taxonomy()
    result: dict[str, list[FacetValue]] = {}
    counts = _counts(others("category"), index.bits.get("category", {}))
    result["category"] = [
        FacetValue(code, name, counts.get(pk, 0), chosen.get("category") == pk)
        for code, (pk, name) in tax.categories.items()
        if counts.get(pk) or chosen.get("category") == pk
    ]
    counts = _counts(others("specialty_class"), index.bits.get("specialty_class", {}))
    result["specialty_class"] = [
        FacetValue(code, name, counts.get(pk, 0), chosen.get("specialty_class") == pk)
        for code, (pk, name, _category) in tax.classes.items()
        if counts.get(pk) or chosen.get("specialty_class") == pk
    ]
    counts = _university_counts(index, others("university"))
    top = sorted((pk for pk, n in counts.items() if n), key=lambda pk: (-counts[pk], pk))[:university_limit]
    chosen_university = chosen.get("university")
    if chosen_university is not None and chosen_university not in top:
        top.append(chosen_university)
    names = index.university_names
    missing = [pk for pk in top if pk not in names]
    if missing:
        names = {**names, **dict(Institution.objects.filter(pk__in=missing).values_list("pk", "name"))}
    result["university"] = [
        FacetValue(str(pk), names.get(pk, str(pk)), counts.get(pk, 0), chosen_university == pk) for pk in top
    ]
    counts = _counts(others("platform"), index.bits.get("platform", {}))
    result["platform"] = [
        FacetValue(p.code, p.name, counts.get(p.pk, 0), chosen.get("platform") == p.pk)
        for p in index.platforms
        if counts.get(p.pk) or chosen.get("platform") == p.pk
    ]
    counts = _counts(others("language"), index.bits.get("language", {}))
    result["language"] = [
        FacetValue(code, str(label), counts.get(code, 0), chosen.get("language") == code)
        for code, label in Language.choices
        if counts.get(code) or chosen.get("language") == code
    ]
    for facet in BOOLEAN_FACETS:
        counts = _counts(others(facet), index.bits.get(facet, {}))
        result[facet] = [
            FacetValue(_bool_value(value), str(label), counts.get(value, 0), chosen.get(facet) is value)
            for value, label in zip((True, False), BOOLEAN_LABELS[facet], strict=True)
            if counts.get(value) or chosen.get(facet) is value
        ]
    counts = _counts(others("status"), index.bits.get("status", {}))
    result["status"] = [
        FacetValue(code, str(label), counts.get(code, 0), chosen.get("status") == code)
        for code, label in RunStatus.choices
        if counts.get(code) or chosen.get("status") == code
    ]
    return {facet: result[facet] for facet in FACETS}


# --- Suggestions (typeahead) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # "course", "university" or "teacher"
    url_name: str
    pk: int | None  # None for a course title shared by several courses: it searches the catalogue


SUGGESTION_LIMIT = 10
URL_NAMES = {
    "course": "higher_ed:course",
    "university": "higher_ed:university",
    "teacher": "higher_ed:teacher",
}


def suggestions(
    *, q: str, limit: int = SUGGESTION_LIMIT, index: catalogue.CatalogueIndex | None = None
) -> list[Suggestion]:
    """Course titles, universities and teachers of visible courses whose name contains what was typed.

    Names that begin with it come first, then the others; within each, the hottest title, the university
    and the teacher with most courses first. Read from the catalogue index (no query beyond its token).
    """
    text = rules.fold(q)
    if not text:
        return []
    index = index or catalogue.catalogue_index()
    leading: list[catalogue.Term] = []
    inside: list[catalogue.Term] = []
    # Only the terms holding the typed text's rarest character can contain it.
    candidates = min((index.term_chars.get(char, []) for char in set(text)), key=len)
    terms = index.terms
    for term in (terms[position] for position in candidates):
        if text in term.folded:
            if term.folded.startswith(text):
                leading.append(term)
                if len(leading) == limit:
                    break
            elif len(inside) < limit:
                inside.append(term)
    found = (leading + inside)[:limit]
    return [
        Suggestion(
            t.text,
            t.kind,
            URL_NAMES[t.kind] if t.pk is not None else "higher_ed:index",
            t.pk,
        )
        for t in found
    ]


# --- Course pages -------------------------------------------------------------------------------------


def course_detail_queryset() -> QuerySet[Course]:
    """Visible courses with teachers (their universities), units and runs (four queries for one)."""
    return course_list_queryset(teacher_related=("teacher__university",)).prefetch_related(
        Prefetch("units", queryset=CourseUnit.objects.order_by("order")),
        Prefetch("runs", queryset=CourseRun.objects.order_by("start")),
    )


def course_detail_get(*, pk: int) -> Course | None:
    return course_detail_queryset().filter(pk=pk).first()


def course_page_get(*, pk: int) -> Course | None:
    """A visible course for its page, with its runs (two queries). Its teachers, syllabus and similar courses
    are in cached blocks of the page, read with :func:`course_teachers`, :func:`course_units` and
    :func:`course_similar` only when a block is rendered."""
    return (
        Course.objects.visible()
        .select_related("university", "platform", "category", "specialty_class")
        .prefetch_related(Prefetch("runs", queryset=CourseRun.objects.order_by("start")))
        .filter(pk=pk)
        .first()
    )


def course_teachers(*, course: Course) -> list[Teacher]:
    """The course's teachers in order, with their universities (one query)."""
    return [
        ct.teacher
        for ct in CourseTeacher.objects.filter(course=course)
        .select_related("teacher__university")
        .order_by("order")
    ]


def course_units(*, course: Course) -> list[CourseUnit]:
    return list(course.units.order_by("order"))


def course_similar(*, course: Course, limit: int = 6) -> list[Course]:
    """Similar courses: the hottest visible ones of the same specialty class (else category), one query."""
    if course.specialty_class_id:
        same = Q(specialty_class_id=course.specialty_class_id)
    else:
        same = Q(category_id=course.category_id)
    return list(
        Course.objects.visible()
        .filter(same)
        .exclude(pk=course.pk)
        .select_related("university")
        .order_by("-hot_score", "-pk")[:limit]
    )


def course_source_get(*, pk: int) -> Course | None:
    """A visible course with a source address, for the click-counting redirect."""
    return Course.objects.visible().exclude(source_url="").select_related("platform").filter(pk=pk).first()


def run_visible_get(*, pk: int) -> CourseRun | None:
    return CourseRun.objects.visible().select_related("course").filter(pk=pk).first()


_enrollments_of = Precompiled(
    lambda user, course: Enrollment.objects.filter(user_id=user, course_id=course), user=int, course=int
)


def enrollments_of(*, user: Any, course: Course) -> dict[int, Enrollment]:
    """The user's enrolments in the runs of ``course`` by run id (the course page, signed in: one
    precompiled statement)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {e.run_id: e for e in _enrollments_of.all(user=user.pk, course=course.pk)}


# --- Universities, teachers, platforms ---------------------------------------------------------------


def university_list() -> QuerySet[Institution]:
    """Universities with visible courses, most courses first, with the count (one grouped query)."""
    return (
        Institution.objects.filter(higher_ed_courses__in=Course.objects.visible())
        .select_related("province")
        .annotate(course_count=Count("higher_ed_courses"))
        .order_by("-course_count", "name")
    )


def university_get(*, pk: int) -> Institution | None:
    """A university that has visible courses (others have no page here)."""
    return university_list().filter(pk=pk).first()


def teacher_list() -> QuerySet[Teacher]:
    """Teachers of visible courses with how many they teach."""
    return (
        Teacher.objects.filter(teacher_courses__course__in=Course.objects.visible())
        .select_related("university")
        .annotate(course_count=Count("teacher_courses"))
        .order_by("-course_count", "name", "pk")
    )


def teacher_get(*, pk: int) -> Teacher | None:
    return Teacher.objects.visible().select_related("university").filter(pk=pk).first()


def teacher_courses(*, teacher: Teacher) -> QuerySet[Course]:
    return course_list_queryset().filter(course_teachers__teacher=teacher).order_by("-hot_score", "-pk")


def platform_list() -> QuerySet[Platform]:
    """Switched-on platforms with their visible course counts."""
    return Platform.objects.visible().annotate(course_count=Count("courses", filter=Q(courses__listed=True)))


def platform_get(*, code: str) -> Platform | None:
    return platform_list().filter(code=code).first()


def platform_manage_list() -> list[Platform]:
    """Every platform, on or off, with its last five switches (two queries), for administrators."""
    return list(
        Platform.objects.annotate(course_count=Count("courses")).prefetch_related(
            Prefetch(
                "switches",
                queryset=PlatformSwitch.objects.select_related("switched_by").order_by("-switched_at", "-pk"),
                to_attr="switch_log",
            )
        )
    )


def platform_all() -> list[Platform]:
    """Every platform, switched on or off (for administrators' and the monitoring centre's filters)."""
    return list(Platform.objects.order_by("order", "pk"))


def platform_switch_log(*, limit: int = 50) -> list[PlatformSwitch]:
    return list(
        PlatformSwitch.objects.select_related("platform", "switched_by").order_by("-switched_at", "-pk")[
            :limit
        ]
    )


# --- Learners ----------------------------------------------------------------------------------------


def my_enrollments(*, user: Any) -> QuerySet[Enrollment]:
    """The user's enrolments in visible courses, newest first, with course, university and run."""
    return (
        Enrollment.objects.visible()
        .filter(user_id=user.pk)
        .select_related("run", "course__university", "course__platform")
        .order_by("-enrolled_at", "-pk")
    )


@dataclass
class UnitRow:
    unit: CourseUnit
    progress: UnitProgress | None


def enrollment_units(*, enrollment: Enrollment) -> list[UnitRow]:
    """The units of the enrolment's course with the learner's progress in each (two queries)."""
    progress = {p.unit_id: p for p in UnitProgress.objects.filter(enrollment=enrollment)}
    return [
        UnitRow(unit=unit, progress=progress.get(unit.pk))
        for unit in CourseUnit.objects.filter(course_id=enrollment.course_id).order_by("order")
    ]


# --- Monitoring ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringFilter:
    platform: Platform | None = None
    university: Institution | None = None
    term: str | None = None


@dataclass
class FigureRow:
    """Summed credit-course figures of a group (a platform, a university, a term)."""

    key: Any
    label: str
    credit_courses: int = 0
    enrollments: int = 0
    completions: int = 0
    score_total: int = 0
    scored: int = 0
    recognitions: int = 0
    anomalies: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completions / self.enrollments, 1) if self.enrollments else None

    @property
    def average_score(self) -> float | None:
        return round(self.score_total / self.scored, 1) if self.scored else None

    def add(self, figure: CreditCourseFigure) -> None:
        self.credit_courses += figure.credit_courses
        self.enrollments += figure.enrollments
        self.completions += figure.completions
        self.score_total += figure.score_total
        self.scored += figure.scored
        self.recognitions += figure.recognitions
        self.anomalies += figure.anomalies


def _scoped_figures(*, scope: Any, filters: MonitoringFilter) -> QuerySet[CreditCourseFigure]:
    figures = CreditCourseFigure.objects.all()
    if scope.university_id is not None:
        figures = figures.filter(university_id=scope.university_id)
    elif scope.province_id is not None:
        figures = figures.filter(university__province_id=scope.province_id)
    if filters.platform is not None:
        figures = figures.filter(platform=filters.platform)
    if filters.university is not None:
        figures = figures.filter(university=filters.university)
    if filters.term:
        figures = figures.filter(term=filters.term)
    return figures


@dataclass
class Monitoring:
    by_platform: list[FigureRow]
    by_university: list[FigureRow]
    by_term: list[FigureRow]
    recognitions: list[CreditRecognitionFigure]
    anomalies: list[AnomalyFlag]
    anomaly_count: int
    computed_at: Any
    terms: list[str]


def monitoring(*, scope: Any, filters: MonitoringFilter, anomaly_limit: int = 50) -> Monitoring:
    """The monitoring centre's tables for a scope, read from the aggregated tables (a handful of queries).

    Per platform and per university (summed over the chosen term, or all terms), per term (trends), the
    recognitions between universities touching the scope, and the latest anomaly flags.
    """
    figures = list(_scoped_figures(scope=scope, filters=filters).select_related("platform", "university"))
    by_platform: dict[int, FigureRow] = {}
    by_university: dict[int, FigureRow] = {}
    by_term: dict[str, FigureRow] = {}
    for figure in figures:
        platform_row = by_platform.setdefault(
            figure.platform_id,
            FigureRow(
                key=figure.platform.code,
                label=figure.platform.name,
                extra={"enabled": figure.platform.enabled},
            ),
        )
        platform_row.add(figure)
        university_row = by_university.setdefault(
            figure.university_id, FigureRow(key=figure.university_id, label=figure.university.name)
        )
        university_row.add(figure)
        by_term.setdefault(figure.term, FigureRow(key=figure.term, label=rules.term_label(figure.term))).add(
            figure
        )

    recognitions = CreditRecognitionFigure.objects.select_related(
        "platform", "offering_university", "recognising_university"
    )
    anomalies = AnomalyFlag.objects.select_related("platform", "university", "enrollment__course")
    if scope.university_id is not None:
        recognitions = recognitions.filter(
            Q(offering_university_id=scope.university_id) | Q(recognising_university_id=scope.university_id)
        )
        anomalies = anomalies.filter(university_id=scope.university_id)
    elif scope.province_id is not None:
        recognitions = recognitions.filter(
            Q(offering_university__province_id=scope.province_id)
            | Q(recognising_university__province_id=scope.province_id)
        )
        anomalies = anomalies.filter(university__province_id=scope.province_id)
    if filters.platform is not None:
        recognitions = recognitions.filter(platform=filters.platform)
        anomalies = anomalies.filter(platform=filters.platform)
    if filters.university is not None:
        recognitions = recognitions.filter(
            Q(offering_university=filters.university) | Q(recognising_university=filters.university)
        )
        anomalies = anomalies.filter(university=filters.university)
    if filters.term:
        recognitions = recognitions.filter(term=filters.term)
        anomalies = anomalies.filter(term=filters.term)
    anomaly_list = list(anomalies.order_by("-day", "kind", "pk")[:anomaly_limit])
    terms = sorted(
        set(CreditCourseFigure.objects.values_list("term", flat=True).distinct()), key=rules.term_sort_key
    )
    return Monitoring(
        by_platform=sorted(by_platform.values(), key=lambda r: (-r.enrollments, r.label)),
        by_university=sorted(by_university.values(), key=lambda r: (-r.enrollments, r.label)),
        by_term=sorted(by_term.values(), key=lambda r: rules.term_sort_key(r.key)),
        recognitions=list(recognitions.order_by("-recognitions", "term", "pk")[:100]),
        anomalies=anomaly_list,
        anomaly_count=anomalies.count() if len(anomaly_list) == anomaly_limit else len(anomaly_list),
        computed_at=max((f.computed_at for f in figures), default=None),
        terms=terms,
    )


def monitoring_rows(*, scope: Any, filters: MonitoringFilter) -> QuerySet[CreditCourseFigure]:
    """The aggregated rows (term × platform × university) in a scope, for the API."""
    return (
        _scoped_figures(scope=scope, filters=filters)
        .select_related("platform", "university")
        .order_by("term", "platform__order", "university__name", "pk")
    )


# --- Statistics --------------------------------------------------------------------------------------


def course_locations(ids: list[int]) -> dict:
    """Where visible courses sit for view statistics: their category (section) and class (column).

    Views of a course whose platform is switched off are not counted (one query per batch).
    """
    from smartedu.stats.registry import Location

    return {
        pk: Location(
            section_ref=f"higher_ed.disciplinecategory:{category_id}",
            column_ref=f"higher_ed.specialtyclass:{class_id}" if class_id else "",
        )
        for pk, category_id, class_id in Course.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "category_id", "specialty_class_id")
    }


def university_locations(ids: list[int]) -> dict:
    from smartedu.stats.registry import NOWHERE

    return dict.fromkeys(university_list().filter(pk__in=ids).values_list("pk", flat=True), NOWHERE)


def teacher_locations(ids: list[int]) -> dict:
    from smartedu.stats.registry import NOWHERE

    return dict.fromkeys(Teacher.objects.visible().filter(pk__in=ids).values_list("pk", flat=True), NOWHERE)
