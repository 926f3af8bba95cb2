"""What the search engine knows about the sub-platforms, filled in by each app's ``AppConfig.ready()``.

A sub-platform declares each searchable kind of content once (``k12/search.py`` is the first example)::

    from smartedu.search.registry import Facet, SearchKind, register_kind

    register_kind(SearchKind(
        key="vocational.course", platform="vocational", label=_("course"), model="vocational.Course",
        queryset=lambda: Course.objects.visible().select_related("specialty"),   # never drafts/switched-off
        document=course_document,                                                # obj -> Document
        facets=(Facet("specialty", _("Specialty"), specialty_choices),),
        depends_on={"vocational.Specialty": "specialty"},                        # re-index on change
        list_url=lambda query, facets: f"/vocational/courses/?q={quote(query)}",
        suggestion_terms=specialty_terms,                                        # names for typeahead
    ))

Registering connects the model's (and its dependencies') ``post_save``/``post_delete`` to the index; bulk
writes (``QuerySet.update``, ``bulk_create``) send no signal and call ``services.search_mark_changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True)
class Document:
    """What a kind's ``document`` function returns for one visible object.

    ``facets`` are short codes the search page filters on (``{"stage": "junior", "subject": "math"}``);
    ``facet_labels`` are their display names (``{"stage": "初中"}``). ``expires_at``: after it the document
    is not shown (jobs that close, fairs that end) even before the index catches up.
    """

    title: str
    body: str
    url: str
    facets: Mapping[str, str] = field(default_factory=dict)
    facet_labels: Mapping[str, str] = field(default_factory=dict)
    popularity: int = 0
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Facet:
    """A filter of the search page within one sub-platform: a facet key and its (code, name) choices."""

    key: str
    label: Label
    choices: Callable[[], list[tuple[str, str]]]


@dataclass(frozen=True)
class SuggestionTerm:
    """A name offered by typeahead (a subject, a specialty, a university, an employer)."""

    text: str
    category: str  # "subject", "specialty", "university", "employer", "edition"…
    weight: int = 0


@dataclass(frozen=True, eq=False)
class SearchKind:
    """A searchable kind of content.

    * ``queryset()``: the **visible** objects only (the app's ``visible()`` queryset method), with what
      ``document`` reads loaded (``select_related``/``prefetch_related``): a batch is built in O(1) queries.
    * ``document(obj)``: title, body, facets, URL and popularity of one object.
    * ``popularity_field``: the model's counter kept by view statistics (``view_count``), refreshed into the
      index by the reconcile task; ``None`` when the kind has none.
    * ``depends_on``: ``{"app.Model": "orm path from this kind's model"}``: a change to such a row re-indexes
      the documents that show it (a textbook's title is in its lessons' text).
    * ``list_url(query, facets)``: the sub-platform's own list with the query applied (the "more" link), or
      ``None`` where it has none (the search page's own tab is used then).
    * ``suggestion_terms()``: names typeahead offers for this kind (subjects, specialties, employers…).
    * ``hidden()``: facet values whose documents are hidden *right now*, whatever the index says
      (``{"platform": ["xuetangx"]}``: the partner platforms the ministry switched off). Every match leaves
      them out, so a switch acts in the very next request while the queue re-indexes the documents behind
      it. Keep it to one cached lookup: it runs on every search.
    """

    key: str
    platform: str
    label: Label
    model: str
    queryset: Callable[[], QuerySet]
    document: Callable[[Any], Document]
    facets: tuple[Facet, ...] = ()
    popularity_field: str | None = "view_count"
    depends_on: Mapping[str, str] = field(default_factory=dict)
    list_url: Callable[[str, Mapping[str, str]], str | None] | None = None
    suggestion_terms: Callable[[], Iterable[SuggestionTerm]] | None = None
    label_plural: Label = ""
    order: int = 0
    hidden: Callable[[], Mapping[str, Collection[str]]] | None = None

    @cached_property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def facet(self, key: str) -> Facet | None:
        return next((f for f in self.facets if f.key == key), None)


@dataclass(frozen=True)
class RecommendationRow:
    """One computed recommendation: ``target`` is a document (kind, object id); ``reason`` a reason key."""

    source_id: int
    target_kind: str
    target_id: int
    reason: str
    score: float
    detail: str = ""


@dataclass(frozen=True, eq=False)
class Recommender:
    """Recommendations for the objects of ``source_kind`` (a search kind, or any key such as
    ``"employment.graduate"``), computed in Celery by ``compute(source_ids or None for all)``.

    ``reasons`` maps each reason key to the sentence the page shows ("Same unit", "Same topic in another
    edition"). ``partition(source_ids)`` returns the ids whose recommendations change along with them (the
    other lessons of their unit), so an incremental run recomputes those too.
    """

    key: str
    source_kind: str
    reasons: Mapping[str, Label]
    compute: Callable[[list[int] | None], Iterable[RecommendationRow]]
    affected: Callable[[list[int]], list[int]] | None = None


_kinds: dict[str, SearchKind] = {}
_recommenders: dict[str, Recommender] = {}


def register_kind(kind: SearchKind) -> None:
    """Add ``kind`` and connect its model's and dependencies' signals to the index (idempotent)."""
    if "." not in kind.key or kind.key.split(".", 1)[0] != kind.platform:
        raise ValueError(f"search kind {kind.key!r} must be named '<platform>.<name>'")
    _kinds[kind.key] = kind
    from smartedu.search import signals

    signals.watch(kind.model_class, kind, None)
    for label, path in kind.depends_on.items():
        signals.watch(apps.get_model(label), kind, path)


def unregister_kind(key: str) -> None:
    _kinds.pop(key, None)


def get_kind(key: str) -> SearchKind | None:
    return _kinds.get(key)


def kinds(*, platform: str | None = None) -> list[SearchKind]:
    found = [k for k in _kinds.values() if platform is None or k.platform == platform]
    return sorted(found, key=lambda k: (k.order, k.key))


def platform_keys() -> list[str]:
    """Platforms that have searchable kinds, in the portal's order."""
    from smartedu.portal.registry import platforms

    with_kinds = {k.platform for k in _kinds.values()}
    ordered = [p.key for p in platforms() if p.key in with_kinds]
    return ordered + sorted(with_kinds - set(ordered))


def platform_label(key: str) -> Label:
    from smartedu.portal.registry import platforms

    return next((p.name for p in platforms() if p.key == key), key)


def register_recommender(recommender: Recommender) -> None:
    _recommenders[recommender.key] = recommender


def recommenders(*, source_kind: str | None = None) -> list[Recommender]:
    return [r for r in _recommenders.values() if source_kind is None or r.source_kind == source_kind]


def reason_label(reason: str) -> Label:
    for recommender in _recommenders.values():
        if reason in recommender.reasons:
            return recommender.reasons[reason]
    return reason
