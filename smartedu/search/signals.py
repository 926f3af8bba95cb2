"""Keep the index in step with ordinary saves and deletes of registered models (and their dependencies).

Registering a kind connects its model here; a save or delete marks the affected documents as changed
(``services.search_mark_changed``), which queues them in the same transaction. Writes that send no signal
(``QuerySet.update``, ``bulk_create``) mark their rows explicitly, and the reconcile task catches the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from smartedu.search.registry import SearchKind

_watched: dict[type[models.Model], list[tuple[SearchKind, str | None]]] = {}


def _affected_ids(kind: SearchKind, path: str | None, instance: models.Model) -> list[int]:
    if path is None:
        return [instance.pk]
    return list(kind.model_class._default_manager.filter(**{path: instance.pk}).values_list("pk", flat=True))


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures (loaddata): the reconcile task indexes them
    from smartedu.search.services import search_mark_changed

    update_fields = kwargs.get("update_fields")
    for kind, path in _watched.get(sender, []):
        if update_fields and path is None and set(update_fields) <= {kind.popularity_field}:
            continue  # a counter update: popularity is refreshed by the reconcile task
        ids = _affected_ids(kind, path, instance)
        if ids:
            search_mark_changed(kind=kind.key, ids=ids)


def watch(model: type[models.Model], kind: SearchKind, path: str | None) -> None:
    entries = _watched.setdefault(model, [])
    entries[:] = [(k, p) for k, p in entries if k.key != kind.key or p != path]
    entries.append((kind, path))
    post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")
