"""What view statistics know about the sub-platforms, filled in by each app's ``AppConfig.ready()``.

* **Content kinds**: every kind of page that counts views (``"k12.lesson"``, ``"vocational.course"``,
  ``"employment.job"``…), with its model, how to find the section and column of a batch of objects in one
  query, and the denormalised counter that "hot" orderings read.
* **Dashboard panels**: the pages of ``/dashboard/``; the views panels are registered by this app, and the
  sub-platforms add theirs (employment progress, vocational rates, credit monitoring) the same way.

A domain app registers its kinds like this (a few lines in ``ready()``)::

    from smartedu.stats.registry import ContentKind, register_kind

    register_kind(ContentKind(key="k12.resource", platform="k12", label=_("resource"), model="k12.Resource",
                              section_field="column__section", column_field="column"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise


@dataclass(frozen=True)
class Location:
    """Where an object sits: references ``"<app_label>.<model>:<pk>"`` of its section and column (or "")."""

    section_ref: str = ""
    column_ref: str = ""


NOWHERE = Location()


@dataclass(frozen=True, eq=False)
class ContentKind:
    """A kind of content whose page views are counted.

    ``model`` is ``"app_label.ModelName"``; ``None`` makes a page kind (a landing page, not a database
    object) whose only valid id is 0. ``section_field`` and ``column_field`` are ORM paths from the model to
    a foreign key (``"section"``, ``"column__section"``). A kind whose section cannot be expressed as a path
    passes ``locate``: a function from a list of ids to ``{id: Location}`` for the ids that exist, in one
    query. ``counter_field`` is the model's denormalised ``view_count`` (``None``: the model has none).
    ``title_field`` names what the dashboards show (else ``str(obj)``); ``select_related`` lists the relations
    that title needs, so that a list of titles takes one query. ``url_name`` is the object's page, reversed
    with its primary key, when the model has no ``get_absolute_url``.
    """

    key: str
    platform: str
    label: Label
    model: str | None = None
    section_field: str | None = None
    column_field: str | None = None
    counter_field: str | None = "view_count"
    title_field: str = "title"
    select_related: tuple[str, ...] = ()
    url_name: str = ""
    locate: Callable[[list[int]], dict[int, Location]] | None = None

    @property
    def is_page(self) -> bool:
        return self.model is None

    @cached_property
    def model_class(self) -> type[models.Model] | None:
        return apps.get_model(self.model) if self.model else None

    def _model(self) -> type[models.Model]:
        if self.model_class is None:
            raise ValueError(f"content kind {self.key!r} is a page kind and has no model")
        return self.model_class

    def _ref_model(self, path: str) -> type[models.Model]:
        model = self._model()
        for name in path.split("__"):
            related = model._meta.get_field(name).related_model
            if not isinstance(related, type):
                raise ValueError(f"{path!r} of content kind {self.key!r} is not a path of foreign keys")
            model = related
        return model

    def locations(self, ids: Iterable[int]) -> dict[int, Location]:
        """``{id: Location}`` of the ids that exist (one query; page kinds: id 0 only, no query)."""
        ids = sorted(set(ids))
        if self.is_page:
            return {0: NOWHERE} if 0 in ids else {}
        if self.locate is not None:
            return self.locate(ids)
        fields = [f for f in (self.section_field, self.column_field) if f]
        rows = self._model()._default_manager.filter(pk__in=ids).values_list("pk", *fields)
        prefixes = [f"{self._ref_model(f)._meta.label_lower}:" for f in fields]
        result = {}
        for pk, *refs in rows:
            named = dict(
                zip(
                    fields,
                    (f"{p}{r}" if r is not None else "" for p, r in zip(prefixes, refs, strict=True)),
                    strict=True,
                )
            )
            result[pk] = Location(
                section_ref=named.get(self.section_field, "") if self.section_field else "",
                column_ref=named.get(self.column_field, "") if self.column_field else "",
            )
        return result


_kinds: dict[str, ContentKind] = {}
_platform_labels: dict[str, Label] = {"portal": _("Portal")}


_platform_of_model: dict[str, str] = {}


def _content_changed(sender: type[models.Model], **kwargs: object) -> None:
    """An object of a content kind was saved or deleted: its platform's cached pages (and the pages outside
    every platform) are stale; another platform's stay (``smartedu/portal/pagecache.py``).

    (The flush's view-count updates are queryset updates, which send no signal.)"""
    from smartedu.portal.pagecache import page_cache_invalidate

    platform = _platform_of_model.get(sender._meta.label_lower)
    page_cache_invalidate(None if platform in (None, "portal") else platform)


def register_kind(kind: ContentKind) -> None:
    if "." not in kind.key or kind.key.split(".", 1)[0] != kind.platform:
        raise ValueError(f"content kind {kind.key!r} must be named '<platform>.<name>'")
    _kinds[kind.key] = kind
    if kind.model:
        label = kind.model.lower()
        known = _platform_of_model.setdefault(label, kind.platform)
        if known != kind.platform:  # one model counted under two platforms: every page follows it
            _platform_of_model[label] = "portal"
        # Only this model's signals: a receiver for every sender would cost every bulk delete its fast path.
        post_save.connect(_content_changed, sender=kind.model, dispatch_uid=f"stats-saved-{kind.key}")
        post_delete.connect(_content_changed, sender=kind.model, dispatch_uid=f"stats-deleted-{kind.key}")


def unregister_kind(key: str) -> None:
    kind = _kinds.pop(key, None)
    if kind is not None and kind.model:
        post_save.disconnect(sender=kind.model, dispatch_uid=f"stats-saved-{kind.key}")
        post_delete.disconnect(sender=kind.model, dispatch_uid=f"stats-deleted-{kind.key}")


def get_kind(key: str) -> ContentKind | None:
    return _kinds.get(key)


def kinds() -> list[ContentKind]:
    return sorted(_kinds.values(), key=lambda k: k.key)


def platform_label(key: str) -> Label:
    from smartedu.portal.registry import platforms

    for platform in platforms():
        if platform.key == key:
            return platform.name
    return _platform_labels.get(key, key)


def platform_keys() -> list[str]:
    """The sub-platforms that count views: the portal's, in its order, then any other kind's platform."""
    from smartedu.portal.registry import platforms

    keys = ["portal", *(p.key for p in platforms())]
    keys += sorted({k.platform for k in _kinds.values()} - set(keys))
    return keys


# --- Dashboard panels ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPanel:
    """A page of ``/dashboard/``; ``allowed(user)`` says who sees it (in the navigation and at its URL)."""

    key: str
    label: Label
    url_name: str
    order: int
    allowed: Callable[[object], bool]
    description: Label = ""


_panels: dict[str, DashboardPanel] = {}


def register_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda p: p.order)


def panels_for(user: object) -> list[DashboardPanel]:
    return [p for p in panels() if p.allowed(user)]
