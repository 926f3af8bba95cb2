"""K-12's searchable kinds and recommendations, registered with smartedu.search from ``K12Config.ready()``.

Lessons, e-textbooks and column resources: visible objects only (``Model.objects.visible()``, through
the selectors),
each with its stage and subject as facets, its view counter as popularity and its own list with the query
applied as the "more" link where K-12 has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from k12 import selectors
from k12.models import Edition, ETextbook, Grade, Lesson, Resource, Section, Stage, Subject
from smartedu.search.recommend import neighbours_in_index, same_facet, similar_titles
from smartedu.search.registry import (
    Document,
    Facet,
    Recommender,
    SearchKind,
    SuggestionTerm,
    register_kind,
    register_recommender,
)


def _stage_choices() -> list[tuple[str, str]]:
    return list(Stage.objects.order_by("order").values_list("code", "name"))


def _subject_choices() -> list[tuple[str, str]]:
    return list(Subject.objects.order_by("pk").values_list("code", "name"))


def _edition_choices() -> list[tuple[str, str]]:
    return list(Edition.objects.order_by("order").values_list("code", "name"))


def _grade_choices() -> list[tuple[str, str]]:
    return [
        (str(number), name) for number, name in Grade.objects.order_by("number").values_list("number", "name")
    ]


def _section_choices() -> list[tuple[str, str]]:
    return list(Section.objects.order_by("order").values_list("code", "name"))


STAGE = Facet("stage", _("Stage"), _stage_choices)
SUBJECT = Facet("subject", _("Subject"), _subject_choices)
EDITION = Facet("edition", _("Edition"), _edition_choices)
GRADE = Facet("grade", _("Grade"), _grade_choices)
SECTION = Facet("section", _("Section"), _section_choices)


def _text(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def lesson_document(lesson: Lesson) -> Document:
    book = lesson.textbook
    grade = book.grade
    return Document(
        title=lesson.title,
        body=_text(
            book.title,
            lesson.unit.title,
            book.edition.name,
            book.stage.name,
            book.subject.name,
            lesson.summary,
        ),
        url=reverse("k12:lesson", args=[lesson.pk]),
        facets={
            "stage": book.stage.code,
            "subject": book.subject.code,
            "edition": book.edition.code,
            **({"grade": str(grade.number)} if grade else {}),
            "textbook": str(book.pk),
            "unit": str(lesson.unit_id),
        },
        facet_labels={
            "stage": book.stage.name,
            "subject": book.subject.name,
            "edition": book.edition.name,
            **({"grade": grade.name} if grade else {}),
            "textbook": book.title,
            "unit": lesson.unit.title,
        },
        popularity=lesson.view_count,
    )


def etextbook_document(etextbook: ETextbook) -> Document:
    chapters = [chapter.title for chapter in etextbook.chapters.all()]
    facets = {"stage": etextbook.stage.code, "subject": etextbook.subject.code}
    labels = {"stage": etextbook.stage.name, "subject": etextbook.subject.name}
    if etextbook.edition:
        facets["edition"], labels["edition"] = etextbook.edition.code, etextbook.edition.name
    if etextbook.grade:
        facets["grade"], labels["grade"] = str(etextbook.grade.number), etextbook.grade.name
    return Document(
        title=etextbook.title,
        body=_text(
            etextbook.publisher.name,
            etextbook.edition.name if etextbook.edition else "",
            etextbook.stage.name,
            etextbook.subject.name,
            etextbook.grade.name if etextbook.grade else "",
            *chapters,
        ),
        url=reverse("k12:etextbook", args=[etextbook.pk]),
        facets=facets,
        facet_labels=labels,
        popularity=etextbook.view_count,
    )


def resource_document(resource: Resource) -> Document:
    facets = {"section": resource.section.code, "column": resource.column.code}
    labels = {"section": resource.section.name, "column": resource.column.name}
    if resource.stage:
        facets["stage"], labels["stage"] = resource.stage.code, resource.stage.name
    if resource.subject:
        facets["subject"], labels["subject"] = resource.subject.code, resource.subject.name
    return Document(
        title=resource.title,
        body=_text(
            resource.section.name,
            resource.column.name,
            *(tag.name for tag in resource.tags.all()),
            resource.summary,
            resource.body,
        ),
        url=reverse("k12:resource", args=[resource.pk]),
        facets=facets,
        facet_labels=labels,
        popularity=resource.view_count,
    )


def _taxonomy_list_url(url_name: str) -> Callable[[str, Mapping[str, str]], str]:
    def list_url(query: str, facets: Mapping[str, str]) -> str:
        params = {
            "q": query,
            **{k: v for k, v in facets.items() if k in ("stage", "subject", "edition", "grade")},
        }
        return f"{reverse(url_name)}?{urlencode(params)}"

    return list_url


def _resource_list_url(query: str, facets: Mapping[str, str]) -> str | None:
    section = facets.get("section")
    return f"{reverse('k12:section', args=[section])}?{urlencode({'q': query})}" if section else None


def suggestion_terms() -> Iterable[SuggestionTerm]:
    for name in Subject.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "subject", weight=10)
    for name in Edition.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "edition", weight=5)
    for name in Section.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "section", weight=3)


def register() -> None:
    register_kind(
        SearchKind(
            key="k12.lesson",
            platform="k12",
            label=_("lesson"),
            label_plural=_("lessons"),
            model="k12.Lesson",
            queryset=selectors.lesson_queryset,
            document=lesson_document,
            facets=(STAGE, SUBJECT, EDITION, GRADE),
            depends_on={"k12.Textbook": "textbook", "k12.Unit": "unit"},
            list_url=_taxonomy_list_url("k12:lessons"),
            suggestion_terms=suggestion_terms,
            order=1,
        )
    )
    register_kind(
        SearchKind(
            key="k12.etextbook",
            platform="k12",
            label=_("e-textbook"),
            label_plural=_("e-textbooks"),
            model="k12.ETextbook",
            queryset=lambda: selectors.etextbook_queryset().prefetch_related("chapters"),
            document=etextbook_document,
            facets=(STAGE, SUBJECT, EDITION, GRADE),
            depends_on={"k12.ETextbookChapter": "chapters", "k12.Publisher": "publisher"},
            list_url=_taxonomy_list_url("k12:etextbooks"),
            order=2,
        )
    )
    register_kind(
        SearchKind(
            key="k12.resource",
            platform="k12",
            label=_("resource"),
            label_plural=_("resources"),
            model="k12.Resource",
            queryset=selectors.resource_queryset,
            document=resource_document,
            facets=(STAGE, SUBJECT, SECTION),
            depends_on={"k12.Column": "column", "k12.Section": "section"},
            list_url=_resource_list_url,
            order=3,
        )
    )
    register_recommender(
        Recommender(
            key="k12.related-lessons",
            source_kind="k12.lesson",
            reasons={
                "k12.same-unit": _("More lessons of this unit"),
                "k12.same-topic": _("The same topic in other editions and stages"),
            },
            compute=lambda ids: [
                *same_facet(kind="k12.lesson", facet="unit", reason="k12.same-unit", detail_label="unit")(
                    ids
                ),
                *similar_titles(
                    kind="k12.lesson",
                    partition="subject",
                    differ="edition",
                    reason="k12.same-topic",
                    detail_label="textbook",
                )(ids),
            ],
            affected=neighbours_in_index(kind="k12.lesson", facets=("unit",)),
        )
    )
