"""Every non-trivial read of the vocational platform, starting from the ``visible()`` querysets."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from smartedu.stats.registry import Location
from vocational.models import (
    ChangeKind,
    ClassQuestion,
    Course,
    CourseChange,
    CourseKind,
    CourseMetric,
    Item,
    Library,
    Resource,
    Specialty,
    SpecialtyCategory,
    SpecialtyClass,
    Unit,
    UpstreamDecision,
)

# --- Catalogue and figures ------------------------------------------------------------------------------


def category_list() -> QuerySet[SpecialtyCategory]:
    return SpecialtyCategory.objects.all()


def category_count() -> int:
    return SpecialtyCategory.objects.count()


def library_count() -> int:
    return Library.objects.visible().count()


def personal_course_count() -> int:
    return Course.objects.filter(kind=CourseKind.PERSONAL).count()


def resource_count() -> int:
    return Resource.objects.visible().count()


def catalogue_tree() -> list[SpecialtyCategory]:
    """Categories → classes → specialties, with each specialty's library id: three queries."""
    return list(
        SpecialtyCategory.objects.prefetch_related(
            Prefetch(
                "classes",
                queryset=SpecialtyClass.objects.prefetch_related(
                    Prefetch("specialties", queryset=Specialty.objects.select_related("library"))
                ),
            )
        )
    )


def specialty_list(*, category: str = "") -> QuerySet[Specialty]:
    qs = Specialty.objects.select_related("specialty_class__category")
    return qs.filter(specialty_class__category__code=category) if category else qs


def library_list() -> QuerySet[Library]:
    return (
        Library.objects.visible()
        .select_related("specialty__specialty_class__category")
        .annotate(
            college_count=Count("partners", filter=Q(partners__kind="college"), distinct=True),
            enterprise_count=Count("partners", filter=Q(partners__kind="enterprise"), distinct=True),
        )
        .order_by("specialty__code")
    )


def library_detail(*, pk: int) -> Library | None:
    return (
        Library.objects.visible()
        .select_related("specialty__specialty_class__category")
        .prefetch_related("partners")
        .filter(pk=pk)
        .first()
    )


# --- Courses ------------------------------------------------------------------------------------------


def course_list(
    *, kind: str = "", category: str = "", specialty: str = "", q: str = "", ordering: str = ""
) -> QuerySet[Course]:
    qs = Course.objects.visible().select_related("specialty__specialty_class__category", "library")
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(specialty__specialty_class__category__code=category)
    if specialty:
        qs = qs.filter(specialty__code=specialty)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    order = {"hot": ["-view_count", "-pk"], "new": ["-created_at", "-pk"], "title": ["title", "pk"]}
    return qs.order_by(*order.get(ordering.lstrip("-"), ["kind", "pk"]))


def personal_courses_of(*, user_id: int) -> QuerySet[Course]:
    return (
        Course.objects.personal_of(user_id)
        .select_related("specialty", "source")
        .prefetch_related("publications__klass")
        .order_by("-updated_at", "-pk")
    )


def courses_of_classes(*, class_ids: list[int]) -> QuerySet[Course]:
    return (
        Course.objects.filter(
            kind=CourseKind.PERSONAL, is_published=True, publications__klass_id__in=class_ids
        )
        .select_related("specialty", "owner")
        .distinct()
        .order_by("-updated_at", "-pk")
    )


def course_tree(*, course: Course, include_hidden: bool) -> list[Unit]:
    """The units of a course with their items and resources: two queries whatever the size."""
    units = course.units.all()
    items = Item.objects.select_related("resource").order_by("order", "pk")
    if not include_hidden:
        units = units.filter(hidden=False)
        items = items.filter(hidden=False)
    return list(units.order_by("order", "pk").prefetch_related(Prefetch("items", queryset=items)))


# --- Upstream changes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpstreamChange:
    change: CourseChange
    decision: str  # "", "accepted" or "ignored"
    diff: list[str]

    @property
    def pending(self) -> bool:
        return not self.decision


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key in ("title", "note"):
        old, new = str(before.get(key, "")), str(after.get(key, ""))
        if old != new:
            lines.extend(
                difflib.unified_diff(
                    old.splitlines(), new.splitlines(), f"{key} (before)", f"{key} (now)", lineterm=""
                )
            )
    return lines


def upstream_changes(*, course: Course, pending_only: bool = False) -> list[UpstreamChange]:
    """The source's changes since the copy was made, each with the copy's decision and a diff. Two queries."""
    if course.source_id is None:
        return []
    decisions = dict(UpstreamDecision.objects.filter(course=course).values_list("change_id", "decision"))
    changes = CourseChange.objects.filter(course_id=course.source_id, seq__gt=course.synced_seq).order_by(
        "seq"
    )
    result = [
        UpstreamChange(change=c, decision=decisions.get(c.pk, ""), diff=_diff(c.before, c.after))
        for c in changes
    ]
    return [r for r in result if r.pending] if pending_only else result


def pending_change_count(*, course: Course) -> int:
    if course.source_id is None:
        return 0
    return (
        CourseChange.objects.filter(course_id=course.source_id, seq__gt=course.synced_seq)
        .exclude(decisions__course=course)
        .count()
    )


__all__ = ["ChangeKind"]


# --- Q&A, metrics, ranking ------------------------------------------------------------------------------


def course_questions(*, course: Course, student_id: int | None = None) -> QuerySet[ClassQuestion]:
    qs = (
        ClassQuestion.objects.filter(course=course)
        .select_related("student", "klass")
        .prefetch_related("replies__author")
    )
    return qs.filter(student_id=student_id) if student_id is not None else qs


def stored_metrics(*, course: Course, start: date, end: date) -> list[CourseMetric]:
    return list(
        CourseMetric.objects.filter(course=course, start=start, end=end).select_related("klass", "student")
    )


def metric_trend(*, course: Course, windows: list[tuple[date, date]]) -> list[CourseMetric]:
    rows = {
        (m.start, m.end): m
        for m in CourseMetric.objects.filter(
            course=course, klass__isnull=True, student__isnull=True, start__in=[w[0] for w in windows]
        )
    }
    return [rows[w] for w in windows if w in rows]


def metrics_by_region(*, start: date, end: date, province_id: int | None) -> dict[str, list[dict[str, Any]]]:
    """Class-level stored rates of the period averaged by college (the class's institution) and province (the
    teacher's), within an administrator's scope."""
    qs = CourseMetric.objects.filter(start=start, end=end, klass__isnull=False, student__isnull=True)
    if province_id is not None:
        qs = qs.filter(course__owner__province_id=province_id)
    rows = qs.values(
        "klass__institution",
        "course__owner__province__name",
        "mastery",
        "interaction",
        "response",
        "activity",
        "students",
    )
    groups: dict[str, dict[str, dict[str, list[float]]]] = {"college": {}, "province": {}}  # name → values
    for row in rows:
        for group, key in (
            ("college", row["klass__institution"] or "—"),
            ("province", row["course__owner__province__name"] or "—"),
        ):
            bucket = groups[group].setdefault(
                key, {"mastery": [], "interaction": [], "response": [], "activity": [], "students": []}
            )
            for name in ("mastery", "interaction", "response", "activity"):
                value = row[name]
                if value is not None:
                    bucket[name].append(float(value))
            bucket["students"].append(row["students"])
    result: dict[str, list[dict[str, Any]]] = {}
    for group, keyed in groups.items():
        result[group] = [
            {
                "name": key,
                "classes": len(values["students"]),
                "students": int(sum(values["students"])),
                **{
                    name: (sum(values[name]) / len(values[name]) if values[name] else None)
                    for name in ("mastery", "interaction", "response", "activity")
                },
            }
            for key, values in sorted(keyed.items())
        ]
    return result


def resource_ranking(*, direction: str = "") -> QuerySet[Resource]:
    qs = Resource.objects.visible().select_related("library__specialty")
    if direction == "rising":
        return qs.filter(quality_score__gt=F("quality_previous")).order_by("-quality_score", "pk")
    if direction == "falling":
        return qs.filter(quality_score__lt=F("quality_previous")).order_by("quality_score", "pk")
    return qs.order_by("-quality_score", "pk")


# --- Statistics locations -------------------------------------------------------------------------------


def course_locations(ids: list[int]) -> dict[int, Location]:
    """Counted course views: public courses only (a personalised course's page counts nothing)."""
    rows = (
        Course.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "specialty__specialty_class__category_id")
    )
    return {pk: Location(section_ref=f"vocational.specialtycategory:{cat}") for pk, cat in rows}


def library_locations(ids: list[int]) -> dict[int, Location]:
    rows = (
        Library.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "specialty__specialty_class__category_id")
    )
    return {pk: Location(section_ref=f"vocational.specialtycategory:{cat}") for pk, cat in rows}


def resource_locations(ids: list[int]) -> dict[int, Location]:
    rows = (
        Resource.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "library__specialty__specialty_class__category_id")
    )
    return {pk: Location(section_ref=f"vocational.specialtycategory:{cat}") for pk, cat in rows}


def textbook_locations(ids: list[int]) -> dict[int, Location]:
    from vocational.models import Textbook

    rows = (
        Textbook.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "specialty__specialty_class__category_id")
    )
    return {pk: Location(section_ref=f"vocational.specialtycategory:{cat}") for pk, cat in rows}
