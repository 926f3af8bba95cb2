"""The vocational platform's searchable kinds, registered with smartedu.search from ``ready()``.

Public courses (standard, demonstration, quality, open) and specialty resource libraries: visible objects
only, with the specialty category and the course type as facets and the view counter as popularity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from smartedu.search.registry import Document, Facet, SearchKind, SuggestionTerm, register_kind
from vocational.models import Course, CourseKind, Library, Specialty, SpecialtyCategory


def _category_choices() -> list[tuple[str, str]]:
    return list(SpecialtyCategory.objects.values_list("code", "name"))


def _kind_choices() -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in CourseKind.choices if k != CourseKind.PERSONAL]


CATEGORY = Facet("category", _("Specialty category"), _category_choices)
KIND = Facet("kind", _("Course type"), _kind_choices)


def course_document(course: Course) -> Document:
    specialty = course.specialty
    category = specialty.specialty_class.category
    return Document(
        title=course.title,
        body=" ".join(
            part
            for part in (
                specialty.name,
                specialty.specialty_class.name,
                category.name,
                course.institution,
                course.award,
                course.description,
            )
            if part
        ),
        url=reverse("vocational:course", args=[course.pk]),
        facets={"category": category.code, "kind": course.kind, "specialty": specialty.code},
        facet_labels={
            "category": category.name,
            "kind": str(course.get_kind_display()),
            "specialty": specialty.name,
        },
        popularity=course.view_count,
    )


def library_document(library: Library) -> Document:
    specialty = library.specialty
    category = specialty.specialty_class.category
    return Document(
        title=library.title,
        body=" ".join((specialty.name, specialty.specialty_class.name, category.name, library.summary)),
        url=reverse("vocational:library", args=[library.pk]),
        facets={"category": category.code, "specialty": specialty.code},
        facet_labels={"category": category.name, "specialty": specialty.name},
        popularity=library.view_count,
    )


def _course_list_url(query: str, facets: Mapping[str, str]) -> str:
    params = {"q": query, **{k: v for k, v in facets.items() if k in ("category", "kind")}}
    return f"{reverse('vocational:courses')}?{urlencode(params)}"


def suggestion_terms() -> Iterable[SuggestionTerm]:
    for name in Specialty.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "specialty", weight=8)
    for name in SpecialtyCategory.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "specialty", weight=4)


def register() -> None:
    register_kind(
        SearchKind(
            key="vocational.course",
            platform="vocational",
            label=_("course"),
            label_plural=_("courses"),
            model="vocational.Course",
            queryset=lambda: Course.objects.visible().select_related("specialty__specialty_class__category"),
            document=course_document,
            facets=(CATEGORY, KIND),
            depends_on={"vocational.Specialty": "specialty"},
            list_url=_course_list_url,
            suggestion_terms=suggestion_terms,
            order=1,
        )
    )
    register_kind(
        SearchKind(
            key="vocational.library",
            platform="vocational",
            label=_("resource library"),
            label_plural=_("resource libraries"),
            model="vocational.Library",
            queryset=lambda: Library.objects.visible().select_related("specialty__specialty_class__category"),
            document=library_document,
            facets=(CATEGORY,),
            depends_on={"vocational.Specialty": "specialty"},
            order=2,
        )
    )
