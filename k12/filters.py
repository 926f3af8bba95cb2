"""One FilterSet per list, shared by the API (``filterset_class``) and the HTML list pages.

Filters name things by their stable codes (``?section=thematic&subject=math&edition=pep``); a value that
names nothing is a validation error on that field (400 in the API), never a silently empty list.
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from k12.models import (
    Audience,
    Column,
    Edition,
    ETextbook,
    Grade,
    Lesson,
    Publisher,
    Resource,
    ResourceKind,
    Section,
    Stage,
    Subject,
    Tag,
    Textbook,
    Volume,
)
from smartedu.search.selectors import matching_queryset
from smartedu.search.text import MAX_QUERY_LENGTH


def _search(kind: str) -> Callable[[QuerySet[Any], str, str], QuerySet[Any]]:
    """The ``q`` filter: the search engine's matches for the kind, best first (smartedu.search)."""

    def method(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return matching_queryset(queryset, kind=kind, query=value) if value.strip() else queryset

    return method


class ResourceFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), queryset=Section.objects.all(), to_field_name="code"
    )
    column = django_filters.ModelChoiceFilter(
        label=_("Column"), queryset=Column.objects.all(), to_field_name="code"
    )
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=ResourceKind.choices)
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"), field_name="tags", queryset=Tag.objects.all(), to_field_name="code"
    )
    q = django_filters.CharFilter(label=_("Search"), method=_search("k12.resource"))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=(("view_count", "views"), ("published_at", "published"), ("title", "title")),
        field_labels={
            "view_count": _("Least viewed"),
            "-views": _("Most viewed"),
            "published_at": _("Oldest first"),
            "-published": _("Newest first"),
            "title": _("Title, A to Z"),
            "-title": _("Title, Z to A"),
        },
    )

    class Meta:
        model = Resource
        fields = ["section", "column", "audience", "kind", "tag", "q", "ordering"]


# Every choice of the sort menus named in words (django-filter would add "(descending)" to the field's name).
# Ascending choices are keyed by the model field, descending ones by "-" and the parameter (django-filter).
ORDER_LABELS = {
    "view_count": _("Least viewed"),
    "-views": _("Most viewed"),
    "title": _("Title, A to Z"),
    "-title": _("Title, Z to A"),
}


class _TaxonomyFilter(django_filters.FilterSet):
    """Stage, subject, edition and grade by their codes: what textbooks and e-textbooks are filed under."""

    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.all(), to_field_name="code"
    )
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all(), to_field_name="code"
    )
    edition = django_filters.ModelChoiceFilter(
        label=_("Edition"), queryset=Edition.objects.all(), to_field_name="code"
    )
    grade = django_filters.ModelChoiceFilter(
        label=_("Grade"), queryset=Grade.objects.all(), to_field_name="number"
    )


class TextbookFilter(_TaxonomyFilter):
    volume = django_filters.ChoiceFilter(label=_("Volume"), choices=Volume.choices)

    class Meta:
        model = Textbook
        fields = ["stage", "subject", "edition", "grade", "volume"]


class LessonFilter(django_filters.FilterSet):
    textbook = django_filters.ModelChoiceFilter(label=_("Textbook"), queryset=Textbook.objects.visible())
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), field_name="textbook__stage", queryset=Stage.objects.all(), to_field_name="code"
    )
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"),
        field_name="textbook__subject",
        queryset=Subject.objects.all(),
        to_field_name="code",
    )
    edition = django_filters.ModelChoiceFilter(
        label=_("Edition"),
        field_name="textbook__edition",
        queryset=Edition.objects.all(),
        to_field_name="code",
    )
    grade = django_filters.ModelChoiceFilter(
        label=_("Grade"), field_name="textbook__grade", queryset=Grade.objects.all(), to_field_name="number"
    )
    q = django_filters.CharFilter(
        label=_("Search"), method=_search("k12.lesson"), max_length=MAX_QUERY_LENGTH
    )
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=(("view_count", "views"), ("title", "title")), field_labels=ORDER_LABELS
    )

    class Meta:
        model = Lesson
        fields = ["textbook", "stage", "subject", "edition", "grade", "q", "ordering"]


class ETextbookFilter(_TaxonomyFilter):
    publisher = django_filters.ModelChoiceFilter(label=_("Publisher"), queryset=Publisher.objects.all())
    q = django_filters.CharFilter(label=_("Search"), method=_search("k12.etextbook"))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=(("view_count", "views"), ("title", "title")), field_labels=ORDER_LABELS
    )

    class Meta:
        model = ETextbook
        fields = ["stage", "subject", "edition", "grade", "publisher", "q", "ordering"]
