"""Search documents of the higher-education platform, for the federated search of ``smartedu.search``.

Each searchable kind gives its visible queryset (starting from ``Course.objects.visible()``, so a switched-off
platform's courses are never indexed, and a switch is honoured at query time through the ``platform`` facet),
a document builder (title, body, facets, URL, popularity, suggestion terms) and its URL. When the search
registry lands, joining it is one registration in ``HigherEdConfig.ready()`` per kind in ``SEARCH_KINDS``.
Until then the catalogue's keyword goes through ``selectors._keyword`` (one function to replace).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from higher_ed import selectors
from higher_ed.models import Course, Teacher
from smartedu.institutions.models import Institution


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    popularity: int
    facets: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str | Promise
    queryset: Callable[[], QuerySet]
    build: Callable[[Any], Document]

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[Document]:
        """Documents of the visible objects (all, or those of ``ids``: a hidden id yields nothing)."""
        queryset = self.queryset()
        if ids is not None:
            queryset = queryset.filter(pk__in=list(ids))
        for obj in queryset.iterator(chunk_size=1000):
            yield self.build(obj)


def course_queryset() -> QuerySet[Course]:
    return selectors.course_list_queryset().order_by("pk")


def course_document(course: Course) -> Document:
    teachers = [ct.teacher.name for ct in getattr(course, "ordered_teachers", [])] or [
        t.name for t in course.teachers.all()
    ]
    discipline = [course.category.name, course.specialty_class.name if course.specialty_class else ""]
    return Document(
        kind="higher_ed.course",
        object_id=course.pk,
        title=course.title,
        body=" ".join(
            part for part in [course.summary, course.university.name, *teachers, *discipline] if part
        ),
        url=reverse("higher_ed:course", args=[course.pk]),
        popularity=course.hot_score,
        facets={
            "category": course.category.code,
            "specialty_class": course.specialty_class.code if course.specialty_class else None,
            "university": course.university_id,
            "platform": course.platform.code,
            "language": course.language_codes,
            "first_class": course.first_class,
            "credit": course.credit,
            "international": course.international,
        },
        suggestions=(course.title, course.university.name, *teachers),
    )


def university_queryset() -> QuerySet[Institution]:
    return selectors.university_list().order_by("pk")


def university_document(university: Institution) -> Document:
    return Document(
        kind="higher_ed.university",
        object_id=university.pk,
        title=university.name,
        body=" ".join(
            part for part in [university.province.name, university.city, university.category] if part
        ),
        url=reverse("higher_ed:university", args=[university.pk]),
        popularity=getattr(university, "course_count", 0),
        facets={"province": university.province.code},
        suggestions=(university.name,),
    )


def teacher_queryset() -> QuerySet[Teacher]:
    return selectors.teacher_list().order_by("pk")


def teacher_document(teacher: Teacher) -> Document:
    university = teacher.university.name if teacher.university else ""
    return Document(
        kind="higher_ed.teacher",
        object_id=teacher.pk,
        title=teacher.name,
        body=" ".join(part for part in [teacher.title, university] if part),
        url=reverse("higher_ed:teacher", args=[teacher.pk]),
        popularity=getattr(teacher, "course_count", 0),
        facets={"university": teacher.university_id},
        suggestions=(teacher.name,),
    )


SEARCH_KINDS = (
    SearchKind("higher_ed.course", _("course"), course_queryset, course_document),
    SearchKind("higher_ed.university", _("university"), university_queryset, university_document),
    SearchKind("higher_ed.teacher", _("teacher"), teacher_queryset, teacher_document),
)
