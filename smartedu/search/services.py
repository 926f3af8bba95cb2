"""Every write of the search engine: the index, its change queue, typeahead names, search counts and
recommendations. Keyword-only functions; Celery tasks (tasks.py) only call these.

How the index follows content:

1. A save or delete of a registered model (signals.py), or a service's explicit ``search_mark_changed``
   after a bulk ``.update()``, writes ``SearchPending`` rows **in the same transaction** as the change, and
   asks (after commit) for one ``index_pending_task``.
2. That task indexes the queued ids in batches: one queryset query per kind and batch, documents built in
   Python, one bulk upsert; objects no longer visible lose their documents.
3. A beat task (``search_reconcile``) catches what no signal announced: visible objects without a
   document, documents whose object is no longer visible, and the popularity counters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import redis
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from smartedu.portal.registry import Progress, no_progress
from smartedu.search import querylog, registry
from smartedu.search.backends import get_backend
from smartedu.search.backends.database import JSON_COLUMNS, LOAD_COLUMNS
from smartedu.search.dictionary import NUMBERING
from smartedu.search.models import (
    Recommendation,
    SearchDocument,
    SearchFlushBatch,
    SearchPending,
    SearchQueryDay,
    SearchTerm,
)
from smartedu.search.registry import SearchKind
from smartedu.search.text import index_tokens, normalize, token_string

logger = logging.getLogger(__name__)

BODY_MAX = 2000
BATCH = 500


def _kind(key: str) -> SearchKind:
    kind = registry.get_kind(key)
    if kind is None:
        raise ValueError(f"unknown search kind {key!r}")
    return kind


def title_key(title: str) -> str:
    """The title as the phrase tiers compare it: normalised, numbering ("17.1", "第十七章") and every
    character other than letters and digits dropped."""
    text = NUMBERING.sub("", normalize(title))
    return "".join(char for char in text if char.isalnum())[:300]


def document_row(kind: SearchKind, obj: Any) -> SearchDocument:
    """The index row of one visible object (tokens, fingerprint), not yet saved."""
    document = kind.document(obj)
    body = document.body[:BODY_MAX]
    facets = {key: str(value) for key, value in document.facets.items()}
    labels = {key: str(value) for key, value in document.facet_labels.items()}
    expires = document.expires_at.isoformat() if document.expires_at else None
    content = json.dumps(
        [kind.platform, document.title, body, document.url, facets, labels, expires],
        sort_keys=True,
        ensure_ascii=False,
    )
    return SearchDocument(
        kind=kind.key,
        platform=kind.platform,
        object_id=obj.pk,
        title=document.title[:300],
        title_key=title_key(document.title),
        body=body,
        url=document.url[:500],
        facets=facets,
        facet_labels=labels,
        tokens_title=token_string(index_tokens(document.title, unigrams=True)),
        tokens_body=token_string(index_tokens(body)),
        popularity=document.popularity,
        expires_at=document.expires_at,
        fingerprint=hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest(),
    )


# --- The change queue ---------------------------------------------------------------------------


def _drain_after_commit() -> None:
    """Ask for one drain after this transaction commits (once per transaction, however many marks)."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if getattr(entry[1], "search_drain", False) and not getattr(entry[1], "ran", False):
            return

    def enqueue() -> None:
        from smartedu.search.tasks import index_pending_task

        enqueue.ran = True  # type: ignore[attr-defined]
        try:
            index_pending_task.apply_async(countdown=settings.SEARCH_INDEX_DELAY_SECONDS)
        except Exception:  # the broker is down: the beat drain picks the queue up later
            logger.warning("search: could not queue the index task; the periodic drain will", exc_info=True)

    enqueue.search_drain = True  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def search_mark_changed(*, kind: str, ids: Iterable[int]) -> None:
    """Queue the documents of ``ids`` (of the registered ``kind``) for re-indexing after this transaction.
    ``ids`` may be a queryset of the kind's objects (or of their pks): then it is queued in the database,
    in one statement.

    Call it from a service after a write that sends no signal (``QuerySet.update``, ``bulk_create``): a bulk
    publish or unpublish. Saves and deletes of registered models call it through signals.
    """
    _kind(kind)
    if isinstance(ids, QuerySet):
        ids = ids.order_by().values_list("pk", flat=True)
        if not settings.SEARCH_INDEX_EAGER:
            _mark_changed_query(kind=kind, objects=ids)
            return
    unique = sorted(set(ids))
    if not unique:
        return
    if settings.SEARCH_INDEX_EAGER:
        search_index_objects(kind=kind, ids=unique)
        return
    now = timezone.now()
    SearchPending.objects.bulk_create(
        [SearchPending(kind=kind, object_id=pk, marked_at=now) for pk in unique],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["marked_at"],
        batch_size=BATCH,
    )
    _drain_after_commit()


def _mark_changed_query(*, kind: str, objects: QuerySet) -> None:
    """Queue every object of a queryset in one ``INSERT … SELECT``: the ids never come to Python (a bulk
    loader's 3.8 million jobs, a platform's courses switched off)."""
    chosen = objects.order_by().values(queued_pk=F("pk"))
    select, params = chosen.query.sql_with_params()
    table = connection.ops.quote_name(SearchPending._meta.db_table)
    with connection.cursor() as cursor:
        # ``WHERE true``: SQLite needs it to read the ON CONFLICT clause after a SELECT. Django's own SQL.
        cursor.execute(
            f"INSERT INTO {table} (kind, object_id, marked_at) "  # noqa: S608
            f"SELECT %s, queued_pk, %s FROM ({select}) AS chosen WHERE true "
            "ON CONFLICT (kind, object_id) DO UPDATE SET marked_at = excluded.marked_at",
            [kind, connection.ops.adapt_datetimefield_value(timezone.now()), *params],
        )
        queued = cursor.rowcount
    if queued:
        _drain_after_commit()


@dataclass
class IndexResult:
    indexed: int = 0
    removed: int = 0

    def add(self, other: IndexResult) -> None:
        self.indexed += other.indexed
        self.removed += other.removed


def search_index_objects(*, kind: str, ids: Iterable[int]) -> IndexResult:
    """Index the visible objects among ``ids`` and forget the documents of the others (one batch)."""
    search_kind = _kind(kind)
    wanted = sorted(set(ids))
    objects = list(search_kind.queryset().filter(pk__in=wanted))
    backend = get_backend()
    with transaction.atomic():
        backend.upsert([document_row(search_kind, obj) for obj in objects])
        removed = backend.delete(kind, sorted(set(wanted) - {obj.pk for obj in objects}))
    return IndexResult(indexed=len(objects), removed=removed)


def search_index_bulk(*, kind: str, ids: Iterable[int]) -> IndexResult:
    """Index many objects at once, ``BATCH`` at a time, in the caller's transaction: what a bulk loader
    (``COPY``, ``bulk_create``) calls for the rows it wrote, since those send no signal. The documents are
    the indexing path's own (``document_row``, the backend's upsert); tokens of repeated texts are
    tokenised once (``text.index_tokens`` caches per word group)."""
    return _index_in_batches(kind=kind, ids=sorted(set(ids)))


def _index_in_batches(
    *, kind: str, ids: Sequence[int], progress: Progress = no_progress, desc: str = ""
) -> IndexResult:
    """Index ``ids`` ``BATCH`` at a time. Past the first batch of several, the index tables are analysed:
    the documents' trigger looks each match row up by its key with a plan its session keeps, made from the
    statistics of the moment, and statistics of an empty table make that lookup a sequential scan. Kept
    while the table grows, it read the whole table for every document (40,000 documents of the seed took
    280 s instead of 93 s; autovacuum, which would analyse the table, may be off or late)."""
    result = IndexResult()
    starts = range(0, len(ids), BATCH)
    for number, start in enumerate(progress(starts, total=len(starts), desc=desc)):
        result.add(search_index_objects(kind=kind, ids=ids[start : start + BATCH]))
        if number == 0 and len(starts) > 1:
            _analyze()
    return result


def load_row(document: SearchDocument, *, now: datetime) -> tuple[object, ...]:
    """A built document (``document_row``) as the tuple ``backend.load`` takes (``LOAD_COLUMNS``)."""
    document.indexed_at = now
    return tuple(
        json.dumps(getattr(document, column)) if column in JSON_COLUMNS else getattr(document, column)
        for column in LOAD_COLUMNS
    )


def search_load(*, rows: Iterable[Sequence[object]]) -> int:
    """Append documents of objects that have none yet, given as ``LOAD_COLUMNS`` tuples: the fast path
    of a bulk loader that wrote rows with ``COPY`` and can build their documents from what it wrote
    (``employment.search.JobDocumentLoader``, or ``load_row(document_row(...))``). On PostgreSQL it takes
    the documents' exclusive lock until the transaction ends: seeding and maintenance windows only; the
    signals, the queue and ``search_index_bulk`` are the online paths."""
    return get_backend().load(rows)


def search_bulk_writes(*, progress: Progress = no_progress) -> AbstractContextManager[None]:
    """Wrap many ``search_load`` calls: the backend defers what it can rebuild faster at the end (the
    PostgreSQL GIN index; ``progress`` shows that step). Outside a transaction only; offline use."""
    return get_backend().bulk_writes(progress=progress)


def search_load_objects(*, kind: str, ids: Iterable[int]) -> int:
    """``search_load`` for the visible objects among ``ids`` (which have no document yet), built by the
    indexing path's own ``document_row``."""
    search_kind = _kind(kind)
    now = timezone.now()
    total = 0
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 5000):
        objects = search_kind.queryset().filter(pk__in=wanted[start : start + 5000])
        total += search_load(rows=(load_row(document_row(search_kind, obj), now=now) for obj in objects))
    return total


def search_index_pending(*, limit: int = BATCH) -> IndexResult:
    """Index up to ``limit`` queued changes; returns what was done. Running it twice does no harm."""
    rows = list(
        SearchPending.objects.order_by("marked_at", "pk").values_list("pk", "kind", "object_id", "marked_at")[
            :limit
        ]
    )
    result = IndexResult()
    by_kind: dict[str, list[int]] = defaultdict(list)
    for _, kind, object_id, _ in rows:
        by_kind[kind].append(object_id)
    for kind, ids in by_kind.items():
        if registry.get_kind(kind) is None:
            continue  # an app that is gone: its queue rows are just dropped
        result.add(search_index_objects(kind=kind, ids=ids))
        recommendations_mark_stale(source_kind=kind, ids=ids)
    # Remove the queue rows, except those marked again while we indexed (they are indexed next time).
    for start in range(0, len(rows), 100):
        condition = Q()
        for pk, _, _, marked_at in rows[start : start + 100]:
            condition |= Q(pk=pk, marked_at=marked_at)
        SearchPending.objects.filter(condition).delete()
    return result


def search_pending_count() -> int:
    return SearchPending.objects.count()


# --- Whole kinds --------------------------------------------------------------------------------


def _chunks(queryset: QuerySet, size: int = BATCH) -> Iterator[list[Any]]:
    """Objects of ``queryset`` in primary-key order, ``size`` at a time (keyset pagination)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        objects = list(page[:size])
        if not objects:
            return
        yield objects
        last = objects[-1].pk


def search_reindex(*, kind: str | None = None, progress: Progress = no_progress) -> dict[str, IndexResult]:
    """Rebuild the documents of one kind (or all): every visible object indexed, every other one forgotten."""
    results: dict[str, IndexResult] = {}
    backend = get_backend()
    for search_kind in [_kind(kind)] if kind else registry.kinds():
        result = IndexResult()
        visible = search_kind.queryset()
        total = visible.count()
        bar = progress(_chunks(visible), total=-(-total // BATCH), desc=f"index {search_kind.key}")
        for objects in bar:
            with transaction.atomic():
                backend.upsert([document_row(search_kind, obj) for obj in objects])
            result.indexed += len(objects)
        result.removed = backend.delete_except(
            search_kind.key,
            search_kind.model_class._default_manager.filter(pk__in=visible.order_by().values("pk")),
        )
        # The triggers keep the match table in step; a rebuild also repairs rows a write made with
        # triggers off (or a restore of one table) left behind. Unchanged rows are not rewritten.
        backend.matches_rebuild(search_kind.key)
        results[search_kind.key] = result
    search_terms_refresh()
    _analyze()
    return results


def _analyze() -> None:
    """Fresh planner statistics after bulk indexing (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
            cursor.execute("ANALYZE search_match")


def search_reconcile(
    *, progress: Progress = no_progress, skip_queued: bool = False
) -> dict[str, IndexResult]:
    """What no signal announced: index visible objects that have no document, forget documents whose object
    is no longer visible (a bulk unpublish, a platform switched off), refresh popularity. Cheap: two
    anti-joins and one correlated update per kind, in the database.

    ``skip_queued`` leaves the objects already queued for the index (``SearchPending``) to the Celery drain:
    what a bulk loader queued (3.8 million jobs at seed scale, about an hour of indexing) is not indexed
    inline by the seed that loaded it."""
    results: dict[str, IndexResult] = {}
    backend = get_backend()
    for search_kind in registry.kinds():
        result = IndexResult()
        clock = _StepClock()
        visible_ids = search_kind.queryset().order_by().values("pk")
        # Anti-joins as NOT EXISTS, never NOT IN: PostgreSQL hashes a NOT IN list only while it fits in
        # work_mem, and otherwise tests each row against the whole list (3.8 million jobs against 3.8
        # million documents or queued rows: hours); NOT EXISTS becomes a hash anti-join at any size.
        indexed = SearchDocument.objects.filter(kind=search_kind.key, object_id=OuterRef("pk"))
        candidates = search_kind.model_class._default_manager.filter(pk__in=visible_ids).filter(
            ~Exists(indexed)
        )
        if skip_queued:
            queued = SearchPending.objects.filter(kind=search_kind.key, object_id=OuterRef("pk"))
            candidates = candidates.filter(~Exists(queued))
        missing = list(candidates.values_list("pk", flat=True))
        clock.lap("find")
        result.add(
            _index_in_batches(
                kind=search_kind.key, ids=missing, progress=progress, desc=f"index {search_kind.key}"
            )
        )
        clock.lap("index")
        result.removed += backend.delete_except(
            search_kind.key, search_kind.model_class._default_manager.filter(pk__in=visible_ids)
        )
        clock.lap("forget")
        search_popularity_refresh(kind=search_kind.key)
        clock.lap("popularity")
        results[search_kind.key] = result
        logger.info(
            "search reconcile %s: %d indexed, %d removed in %s",
            search_kind.key, result.indexed, result.removed, clock,
        )  # fmt: skip
    # The change log only needs what a kept window could have been read before (windows.py).
    backend.changes_prune(older_than=max(settings.SEARCH_WINDOW_SECONDS, 60))
    if sum(r.indexed + r.removed for r in results.values()) > BATCH:
        _analyze()
    return results


class _StepClock:
    """Seconds per named step, for a log line: ``12.3 s (find 0.4, index 11.2, …)``."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now

    def __str__(self) -> str:
        steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.laps)
        return f"{self.last - self.started:.1f} s ({steps})"


def search_popularity_refresh(*, kind: str) -> int:
    """Copy the kind's view counter into its documents (one UPDATE with a correlated subquery)."""
    search_kind = _kind(kind)
    if not search_kind.popularity_field:
        return 0
    counter = Subquery(
        search_kind.model_class._default_manager.filter(pk=OuterRef("object_id")).values(
            search_kind.popularity_field
        )[:1]
    )
    return SearchDocument.objects.filter(kind=kind).exclude(popularity=counter).update(popularity=counter)


@dataclass
class KindCheck:
    kind: str
    visible: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    # The match table (what searches read) against the documents: object ids whose match row is missing,
    # left without its document, or differs from its document.
    match_missing: list[int] = field(default_factory=list)
    match_extra: list[int] = field(default_factory=list)
    match_stale: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.extra
            or self.stale
            or self.match_missing
            or self.match_extra
            or self.match_stale
        )


def search_check(*, kind: str | None = None, progress: Progress = no_progress) -> list[KindCheck]:
    """Compare the index with the content: documents missing for visible objects, documents of objects no
    longer visible (or expired), and stale documents whose content changed (fingerprints differ); then the
    match table with the documents (rows missing, left over or different). Reads only."""
    reports = []
    now = timezone.now()
    for search_kind in [_kind(kind)] if kind else registry.kinds():
        report = KindCheck(kind=search_kind.key)
        stored = dict(
            SearchDocument.objects.filter(kind=search_kind.key).values_list("object_id", "fingerprint")
        )
        report.indexed = len(stored)
        expired = set(
            SearchDocument.objects.filter(kind=search_kind.key, expires_at__lte=now).values_list(
                "object_id", flat=True
            )
        )
        seen: set[int] = set()
        visible = search_kind.queryset()
        total = visible.count()
        for objects in progress(_chunks(visible), total=-(-total // BATCH), desc=f"check {search_kind.key}"):
            for obj in objects:
                seen.add(obj.pk)
                fingerprint = stored.get(obj.pk)
                if fingerprint is None:
                    report.missing.append(obj.pk)
                elif fingerprint != document_row(search_kind, obj).fingerprint:
                    report.stale.append(obj.pk)
        report.visible = len(seen)
        report.extra = sorted((set(stored) - seen) | (expired & set(stored)))
        matches = get_backend().matches_differing(search_kind.key)
        report.match_missing = matches["missing"]
        report.match_extra = matches["extra"]
        report.match_stale = matches["stale"]
        reports.append(report)
    return reports


# --- Typeahead names ----------------------------------------------------------------------------


def search_terms_refresh() -> int:
    """Store the names every kind offers to typeahead (subjects, specialties, universities, employers),
    replacing those of its platform and category that are gone."""
    wanted: dict[tuple[str, str, str], SearchTerm] = {}
    for search_kind in registry.kinds():
        if search_kind.suggestion_terms is None:
            continue
        for term in search_kind.suggestion_terms():
            norm = normalize(term.text)[:100]
            if not norm:
                continue
            key = (norm, term.category, search_kind.platform)
            if key not in wanted or wanted[key].weight < term.weight:
                wanted[key] = SearchTerm(
                    text=term.text[:100],
                    norm=norm,
                    category=term.category,
                    platform=search_kind.platform,
                    weight=term.weight,
                )
    with transaction.atomic():
        existing = {
            (t.norm, t.category, t.platform): t.pk
            for t in SearchTerm.objects.only("norm", "category", "platform")
        }
        SearchTerm.objects.filter(pk__in=[pk for key, pk in existing.items() if key not in wanted]).delete()
        SearchTerm.objects.bulk_create(
            list(wanted.values()),
            update_conflicts=True,
            unique_fields=["norm", "category", "platform"],
            update_fields=["text", "weight"],
            batch_size=BATCH,
        )
    return len(wanted)


# --- Search counts ------------------------------------------------------------------------------


def search_record(*, query: str, result_count: int, client: str = "") -> bool:
    """Count one search: the query and its number of results, nothing about who searched (``client``, an
    address, only de-duplicates repeats through a salted, expiring hash). A Redis round trip in
    production, a buffer row in the embedded mode; ``search_counts_flush`` moves them into the daily
    table. A failing Redis never fails the search."""
    normalized = querylog.loggable(query)
    if not normalized:
        return False
    day = timezone.localdate()
    dedupe = querylog.dedupe_key(client=client, query=normalized, day=day) if client else ""
    try:
        return querylog.buffer().record(day=day, query=normalized, result_count=result_count, dedupe=dedupe)
    except redis.RedisError:
        logger.warning("search: a search could not be counted (Redis)", exc_info=True)
        return False


@dataclass
class FlushResult:
    batches: int = 0
    queries: int = 0
    searches: int = 0
    skipped: int = 0


def search_counts_flush() -> FlushResult:
    """Drain the search-count buffer into ``SearchQueryDay``. Each batch's id is recorded in the same
    transaction as its counts, so a batch replayed after a crash is skipped, never counted twice."""
    buffer = querylog.buffer()
    buffer.drain()
    result = FlushResult()
    for batch_id in buffer.pending():
        counts = buffer.read(batch_id)
        with transaction.atomic():
            if SearchFlushBatch.objects.filter(batch_id=batch_id).exists():
                result.skipped += 1
            else:
                SearchFlushBatch.objects.create(batch_id=batch_id)
                _add_counts(counts)
                result.batches += 1
                result.queries += len(counts)
                result.searches += sum(c.searches for c in counts.values())
            buffer.discard_in_transaction(batch_id)
        buffer.discard(batch_id)
    return result


def _add_counts(counts: dict[tuple[date, str], querylog.QueryCount]) -> None:
    keys = list(counts)
    existing = {
        (row.day, row.query): row
        for row in SearchQueryDay.objects.select_for_update().filter(
            day__in={day for day, _ in keys}, query__in={query for _, query in keys}
        )
    }
    new_rows, changed = [], []
    for (day, query), count in counts.items():
        row = existing.get((day, query))
        if row is None:
            new_rows.append(
                SearchQueryDay(
                    day=day,
                    query=query,
                    searches=count.searches,
                    zero_result_searches=count.zero,
                    last_result_count=count.last_result_count,
                )
            )
        else:
            row.searches += count.searches
            row.zero_result_searches += count.zero
            row.last_result_count = count.last_result_count
            changed.append(row)
    SearchQueryDay.objects.bulk_create(new_rows, batch_size=BATCH)
    SearchQueryDay.objects.bulk_update(
        changed, ["searches", "zero_result_searches", "last_result_count"], batch_size=BATCH
    )


# --- Recommendations ----------------------------------------------------------------------------


def recommendations_mark_stale(*, source_kind: str, ids: list[int]) -> None:
    """After indexing, recompute the recommendations of these objects (and those that show them) in Celery."""
    if not registry.recommenders(source_kind=source_kind) or not ids:
        return
    if settings.SEARCH_INDEX_EAGER:
        recommendations_compute(source_kind=source_kind, ids=ids)
        return

    def enqueue() -> None:
        from smartedu.search.tasks import compute_recommendations_task

        try:
            compute_recommendations_task.delay(source_kind=source_kind, ids=ids)
        except Exception:
            logger.warning("search: could not queue recommendations; the nightly run will", exc_info=True)

    transaction.on_commit(enqueue)


def recommendations_compute(*, source_kind: str, ids: list[int] | None = None) -> int:
    """Recompute and replace the stored recommendations of ``ids`` (every object when ``None``) of every
    recommender of ``source_kind``. Returns how many were stored."""
    stored = 0
    for recommender in registry.recommenders(source_kind=source_kind):
        sources = None
        if ids is not None:
            sources = sorted(set(ids) | set(recommender.affected(ids) if recommender.affected else []))
        rows = list(recommender.compute(sources))
        targets = {
            (kind, object_id): pk
            for pk, kind, object_id in SearchDocument.objects.filter(
                kind__in={r.target_kind for r in rows}, object_id__in={r.target_id for r in rows}
            ).values_list("pk", "kind", "object_id")
        }
        with transaction.atomic():
            old = Recommendation.objects.filter(source_kind=source_kind, reason__in=list(recommender.reasons))
            if sources is not None:
                old = old.filter(source_id__in=sources)
            old.delete()
            new = [
                Recommendation(
                    source_kind=source_kind,
                    source_id=row.source_id,
                    target_id=targets[(row.target_kind, row.target_id)],
                    reason=row.reason,
                    detail=row.detail[:200],
                    score=row.score,
                )
                for row in rows
                if (row.target_kind, row.target_id) in targets
            ]
            Recommendation.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        stored += len(new)
    return stored


def recommendations_compute_all(*, progress: Progress = no_progress) -> int:
    kinds = sorted({r.source_kind for r in registry.recommenders()})
    return sum(
        recommendations_compute(source_kind=kind)
        for kind in progress(kinds, total=len(kinds), desc="recommendations")
    )
