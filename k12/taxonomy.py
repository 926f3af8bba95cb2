"""The small taxonomy tables (stages, grades, subjects, editions, publishers), held in each process.

Pages show a textbook's taxonomy on every request; joining the five tables into the lesson's query made
PostgreSQL plan a 9-table join, about 5 ms at seed scale for a query that runs in 0.1 ms (issue 14). The
tables hold a few dozen rows and change only through data migrations and the admin, so each process keeps
them in memory and the queries join only what is per lesson.

Freshness: a save or delete of any of them forgets this process's copy at once and, after the commit, moves
a version kept in the shared cache; every other process compares its copy's version with it at most every
``CHECK_SECONDS`` and re-reads the tables when it moved. An id the copy does not know (a row created a
moment ago elsewhere) makes it re-read at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from k12.models import Edition, Grade, Publisher, Stage, Subject, Textbook

logger = logging.getLogger(__name__)

CHECK_SECONDS = 5.0
VERSION_KEY = "k12:taxonomy:version"
MODELS = (Stage, Grade, Subject, Edition, Publisher)


@dataclass(frozen=True)
class Taxonomy:
    version: Any
    stages: dict[int, Stage]
    grades: dict[int, Grade]
    subjects: dict[int, Subject]
    editions: dict[int, Edition]
    publishers: dict[int, Publisher]


_held: dict[str, Any] = {"taxonomy": None, "checked": 0.0}


def _shared_version() -> Any:
    try:
        return cache.get(VERSION_KEY, 0)
    except Exception:  # no cache: re-read the tables rather than trust an old copy
        logger.warning("k12 taxonomy: the cache does not answer", exc_info=True)
        return object()


def _load(version: Any) -> Taxonomy:
    return Taxonomy(
        version=version,
        stages={o.pk: o for o in Stage.objects.all()},
        grades={o.pk: o for o in Grade.objects.all()},
        subjects={o.pk: o for o in Subject.objects.all()},
        editions={o.pk: o for o in Edition.objects.all()},
        publishers={o.pk: o for o in Publisher.objects.all()},
    )


def taxonomy(*, reload: bool = False) -> Taxonomy:
    """This process's copy of the taxonomy tables (read again when another process changed them)."""
    held: Taxonomy | None = _held["taxonomy"]
    now = time.monotonic()
    if held is None or reload or now - _held["checked"] >= CHECK_SECONDS:
        version = _shared_version()
        if held is None or reload or version != held.version:
            held = _held["taxonomy"] = _load(version)
        _held["checked"] = now
    return held


def _knows(held: Taxonomy, textbook: Textbook) -> bool:
    return (
        textbook.stage_id in held.stages
        and textbook.subject_id in held.subjects
        and textbook.edition_id in held.editions
        and textbook.publisher_id in held.publishers
        and (textbook.grade_id is None or textbook.grade_id in held.grades)
    )


def textbooks_attach_taxonomy(textbooks: Iterable[Textbook]) -> None:
    """Give each textbook its stage, grade, subject, edition and publisher without a query."""
    held = taxonomy()
    for textbook in textbooks:
        if not _knows(held, textbook):
            held = taxonomy(reload=True)
            if not _knows(held, textbook):
                continue  # deleted meanwhile: Django reads the row itself when it is asked for
        textbook.stage = held.stages[textbook.stage_id]
        textbook.subject = held.subjects[textbook.subject_id]
        textbook.edition = held.editions[textbook.edition_id]
        textbook.publisher = held.publishers[textbook.publisher_id]
        textbook.grade = held.grades[textbook.grade_id] if textbook.grade_id is not None else None


def _move_version() -> None:
    try:
        cache.add(VERSION_KEY, 0, timeout=None)
        cache.incr(VERSION_KEY)
    except Exception:
        logger.warning("k12 taxonomy: cannot move the shared version", exc_info=True)


def _changed(sender: type, **kwargs: Any) -> None:
    _held["taxonomy"] = None
    transaction.on_commit(_move_version)


def connect_signals() -> None:
    """Called once from ``K12Config.ready``."""
    for model in MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"k12-taxonomy-{model.__name__}-saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"k12-taxonomy-{model.__name__}-deleted")
