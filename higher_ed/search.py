"""Higher education's searchable courses, registered with ``smartedu.search`` from ``HigherEdConfig.ready()``.

* Visibility: ``selectors.course_list_queryset()`` starts from ``Course.objects.visible()`` (a listed course
  of a switched-on platform), so a hidden course or a switched-off platform's course is never indexed; the
  reconcile task forgets any document whose course left it.
* A platform switch writes one platform row and no course row. Search honours it in the next request through
  ``hidden`` (the switched-off platforms' codes, a cached lookup dropped by the switch), and queues the
  platform's courses (``search_mark_changed``) so that the index follows, in batches.
* Popularity: the nightly ``hot_score`` (views and enrolments of the last 30 days), copied into the index by
  the reconcile task.
* The "more" link leads into the catalogue (``/higher-ed/?q=…``) with the chosen facets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from higher_ed import selectors
from higher_ed.models import Course, DisciplineCategory, Platform, SpecialtyClass, Teacher
from smartedu.search.registry import Document, Facet, SearchKind, SuggestionTerm, register_kind

COURSE = "higher_ed.course"
HIDDEN_PLATFORMS_KEY = "higher_ed:search:switched-off-platforms"
HIDDEN_PLATFORMS_SECONDS = 60
# The search page's facet keys and the catalogue's parameters they become ("platform" names the sub-platform
# tab of /search/, so the partner platform is "partner" there).
LIST_PARAMETERS = {"category": "category", "specialty_class": "specialty_class", "partner": "platform"}


def _category_choices() -> list[tuple[str, str]]:
    return list(DisciplineCategory.objects.order_by("code").values_list("code", "name"))


def _class_choices() -> list[tuple[str, str]]:
    return list(SpecialtyClass.objects.order_by("code").values_list("code", "name"))


def _platform_choices() -> list[tuple[str, str]]:
    return list(Platform.objects.visible().order_by("order", "pk").values_list("code", "name"))


CATEGORY = Facet("category", _("Discipline category"), _category_choices)
SPECIALTY_CLASS = Facet("specialty_class", _("Specialty class"), _class_choices)
PARTNER = Facet("partner", _("Partner platform"), _platform_choices)


def course_document(course: Course) -> Document:
    teachers = [ct.teacher.name for ct in getattr(course, "ordered_teachers", [])] or [
        t.name for t in course.teachers.all()
    ]
    specialty = course.specialty_class
    facets = {"category": course.category.code, "partner": course.platform.code}
    labels = {"category": course.category.name, "partner": course.platform.name}
    if specialty is not None:
        facets["specialty_class"], labels["specialty_class"] = specialty.code, specialty.name
    flags = [
        str(label)
        for flag, label in (
            (course.first_class, _("National first-class course")),
            (course.credit, _("Credit course")),
            (course.international, _("International")),
        )
        if flag
    ]
    return Document(
        title=course.title,
        body=" ".join(
            part
            for part in [
                course.university.name,
                *teachers,
                course.category.name,
                specialty.name if specialty else "",
                course.platform.name,
                *flags,
                course.summary,
            ]
            if part
        ),
        url=reverse("higher_ed:course", args=[course.pk]),
        facets=facets,
        facet_labels=labels,
        popularity=course.hot_score,
    )


def switched_off_platforms() -> Mapping[str, list[str]]:
    """``{"partner": [codes of switched-off platforms]}``: one cached lookup, dropped by every switch."""
    codes = cache.get(HIDDEN_PLATFORMS_KEY)
    if codes is None:
        codes = sorted(Platform.objects.filter(enabled=False).values_list("code", flat=True))
        cache.set(HIDDEN_PLATFORMS_KEY, codes, HIDDEN_PLATFORMS_SECONDS)
    return {"partner": codes}


def platform_switched(*, platform: Platform) -> None:
    """After a platform switch (inside its transaction): search hides or shows the platform's courses in the
    next request, and the index re-indexes or forgets their documents in batches."""
    from smartedu.search.services import search_mark_changed

    cache.delete(HIDDEN_PLATFORMS_KEY)
    transaction.on_commit(lambda: cache.delete(HIDDEN_PLATFORMS_KEY))
    search_mark_changed(
        kind=COURSE, ids=Course.objects.filter(platform=platform).values_list("pk", flat=True)
    )


def courses_changed(*, ids: Iterable[int]) -> None:
    """After a write that sent no signal (``QuerySet.update``, the teachers added after the course row)."""
    from smartedu.search.services import search_mark_changed

    search_mark_changed(kind=COURSE, ids=ids)


def _list_url(query: str, facets: Mapping[str, str]) -> str:
    params = {
        "q": query,
        **{LIST_PARAMETERS[key]: value for key, value in facets.items() if key in LIST_PARAMETERS},
    }
    return f"{reverse('higher_ed:index')}?{urlencode(params)}"


def suggestion_terms() -> Iterable[SuggestionTerm]:
    for name in DisciplineCategory.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "category", weight=8)
    for name in SpecialtyClass.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "specialty", weight=6)
    for university in selectors.university_list().values_list("name", flat=True):
        yield SuggestionTerm(university, "university", weight=4)
    for name in Teacher.objects.visible().values_list("name", flat=True):
        yield SuggestionTerm(name, "teacher", weight=2)


def register() -> None:
    register_kind(
        SearchKind(
            key=COURSE,
            platform="higher_ed",
            label=_("course"),
            label_plural=_("courses"),
            model="higher_ed.Course",
            queryset=selectors.course_list_queryset,  # Course.objects.visible(), teachers in one query
            document=course_document,
            facets=(CATEGORY, SPECIALTY_CLASS, PARTNER),
            popularity_field="hot_score",
            depends_on={
                "higher_ed.Platform": "platform",
                "higher_ed.Teacher": "course_teachers__teacher",
                "institutions.Institution": "university",
            },
            list_url=_list_url,
            suggestion_terms=suggestion_terms,
            hidden=switched_off_platforms,
            order=1,
        )
    )
