"""The index follows content: after commit through Celery, batched; bulk writes; reconcile; commands."""

import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection

from k12.models import Lesson, PublishStatus
from smartedu.search import registry, selectors, services
from smartedu.search.models import SearchDocument, SearchPending
from tests.factories.k12 import LessonFactory, TextbookFactory, UnitFactory

pytestmark = pytest.mark.django_db


def indexed(lesson) -> SearchDocument | None:
    return SearchDocument.objects.filter(kind="k12.lesson", object_id=lesson.pk).first()


def test_a_save_is_queued_in_its_transaction_and_indexed_after_commit_in_one_batch(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lessons = [LessonFactory(title=f"第{n}课 牛顿第一定律") for n in range(3)]
    assert SearchPending.objects.count() == 3
    assert not SearchDocument.objects.filter(kind="k12.lesson").exists()
    # One task for the whole transaction, however many rows changed.
    assert sum(1 for c in callbacks if getattr(c, "search_drain", False)) == 1
    for callback in callbacks:
        callback()
    assert all(indexed(lesson) for lesson in lessons)
    assert not SearchPending.objects.exists()


def test_a_bulk_publish_is_indexed_through_search_mark_changed(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lesson = LessonFactory(title="光的反射", status=PublishStatus.DRAFT)
    assert indexed(lesson) is None
    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.filter(pk=lesson.pk).update(status=PublishStatus.PUBLISHED)  # no signal
        services.search_mark_changed(kind="k12.lesson", ids=[lesson.pk])
    assert indexed(lesson).title == "光的反射"


def test_a_change_marked_again_while_indexing_is_indexed_again(queued):
    lesson = LessonFactory(title="第一版")
    rows = list(SearchPending.objects.values_list("pk", "marked_at"))
    services.search_mark_changed(kind="k12.lesson", ids=[lesson.pk])  # lands "during" the batch
    SearchPending.objects.filter(pk=rows[0][0]).update(marked_at=rows[0][1])
    services.search_index_pending()
    assert not SearchPending.objects.exists()
    LessonFactory(title="另一课")
    pending = SearchPending.objects.get()
    later = pending.marked_at
    services.search_mark_changed(kind="k12.lesson", ids=[pending.object_id])
    assert SearchPending.objects.get().marked_at >= later


def test_a_dependency_change_reindexes_the_documents_that_show_it():
    textbook = TextbookFactory(title="旧书名")
    lesson = LessonFactory(unit=UnitFactory(textbook=textbook), title="电流和电路")
    textbook.title = "物理 九年级全一册（人教版）"
    textbook.save()
    assert "九年级全一册" in indexed(lesson).body


def test_a_bulk_unpublish_is_never_shown_and_the_reconcile_removes_it():
    lesson = LessonFactory(title="电功率")
    Lesson.objects.filter(pk=lesson.pk).update(status=PublishStatus.DRAFT)  # nobody marked it
    assert indexed(lesson) is not None
    results = selectors.search(query="电功率", groups=False)
    assert results.items == []  # the page checks visibility of what it shows
    services.search_reconcile()
    assert indexed(lesson) is None


def test_the_reconcile_indexes_what_no_signal_announced_and_refreshes_popularity():
    lesson = LessonFactory(title="欧姆定律", view_count=3)
    SearchDocument.objects.all().delete()
    Lesson.objects.filter(pk=lesson.pk).update(view_count=77)
    services.search_reconcile()
    assert indexed(lesson).popularity == 77


def test_the_reconcile_can_leave_what_is_queued_to_the_drain(settings):
    queued = LessonFactory(title="电能 电功")
    unannounced = LessonFactory(title="焦耳定律")
    SearchDocument.objects.all().delete()
    SearchPending.objects.all().delete()
    settings.SEARCH_INDEX_EAGER = False
    services.search_mark_changed(kind="k12.lesson", ids=[queued.pk])  # what a bulk loader queues

    services.search_reconcile(skip_queued=True)
    assert indexed(queued) is None  # left to the Celery drain
    assert indexed(unannounced) is not None
    services.search_index_pending()
    assert indexed(queued) is not None
    assert not SearchPending.objects.exists()


def test_the_reconcile_logs_what_each_kind_took_step_by_step(caplog):
    """Operators (and the seed benchmark) read where a reconcile's time went, kind by kind."""
    LessonFactory(title="电功率")
    SearchDocument.objects.all().delete()
    with caplog.at_level(logging.INFO, logger="smartedu.search.services"):
        services.search_reconcile()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("search reconcile ")]
    assert len(lines) == len(registry.kinds())
    lesson = next(line for line in lines if line.startswith("search reconcile k12.lesson:"))
    assert re.fullmatch(
        r"search reconcile k12\.lesson: 1 indexed, 0 removed in [\d.]+ s "
        r"\(find [\d.]+, index [\d.]+, forget [\d.]+, popularity [\d.]+\)",
        lesson,
    )


def test_the_reconcile_compares_with_anti_joins_that_hold_at_any_size(settings):
    """No ``NOT IN (SELECT …)``: PostgreSQL tests each row against the whole list once it outgrows
    work_mem (3.8 million jobs against their documents: hours); ``NOT EXISTS`` is a hash anti-join."""
    from django.test.utils import CaptureQueriesContext

    kept, gone = LessonFactory(title="电压"), LessonFactory(title="电压表")
    SearchDocument.objects.filter(object_id=kept.pk, kind="k12.lesson").delete()
    Lesson.objects.filter(pk=gone.pk).update(status=PublishStatus.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        services.search_reconcile(skip_queued=True)
    assert indexed(kept) is not None
    assert indexed(gone) is None
    statements = [query["sql"] for query in queries.captured_queries]
    assert any("NOT EXISTS" in sql for sql in statements)
    assert not [sql for sql in statements if re.search(r"NOT \(\S+ IN \(SELECT", sql)]


def test_search_check_reports_missing_extra_and_stale_then_reindex_fixes_them(capsys):
    stale = LessonFactory(title="电阻")
    missing = LessonFactory(title="变阻器")
    extra = LessonFactory(title="串联和并联")
    Lesson.objects.filter(pk=stale.pk).update(title="电阻的测量")
    SearchDocument.objects.filter(object_id=missing.pk, kind="k12.lesson").delete()
    Lesson.objects.filter(pk=extra.pk).update(status=PublishStatus.DRAFT)
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_check", kind="k12.lesson", no_progress=True)
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "1 missing, 1 extra, 1 stale" in out
    call_command("search_reindex", kind="k12.lesson")
    assert "indexed" in capsys.readouterr().out
    call_command("search_check", no_progress=True)
    assert "up to date" in capsys.readouterr().out
    assert indexed(stale).title == "电阻的测量"


@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_indexes_a_committed_lesson(settings, celery_worker_process):
    import time

    settings.SEARCH_INDEX_EAGER = False
    settings.SEARCH_INDEX_DELAY_SECONDS = 0
    lesson = LessonFactory(title="光的色散")
    deadline = time.monotonic() + 60
    while indexed(lesson) is None and time.monotonic() < deadline:
        time.sleep(0.3)
    assert indexed(lesson) is not None, celery_worker_process.output()


def match_row(document_id: int) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, kind, platform, popularity, title_key FROM search_match WHERE id = %s",
            [document_id],
        )
        return cursor.fetchone()


def test_the_match_table_follows_every_write_of_a_document():
    # given a lesson indexed through the services
    lesson = LessonFactory(title="欧姆定律")
    document = indexed(lesson)
    assert match_row(document.pk) == (lesson.pk, "k12.lesson", "k12", document.popularity, "欧姆定律")
    # when the document changes by a queryset update, which no service sees
    SearchDocument.objects.filter(pk=document.pk).update(
        popularity=99, title_key="伏安法", tokens_title="伏安 安法 伏安法"
    )
    # then its match row follows, tokens included
    assert match_row(document.pk) == (lesson.pk, "k12.lesson", "k12", 99, "伏安法")
    assert [
        item.object_id for item in selectors.search(query="伏安法", respell=False).items
    ] == []  # not shown:
    assert (
        selectors.search(query="伏安法", respell=False).all_total == 1
    )  # its title no longer says so, but found
    # and a delete removes it
    SearchDocument.objects.filter(pk=document.pk).delete()
    assert match_row(document.pk) is None


def test_search_check_reports_a_match_table_out_of_step_and_reindex_repairs_it(capsys):
    missing, stale, other = (LessonFactory(title=t) for t in ("电流", "电压", "电功率"))
    missing_id, stale_id, other_id = (indexed(lesson).pk for lesson in (missing, stale, other))
    columns = "object_id, kind, platform, popularity, title_key, expires_at, facets"
    if connection.vendor == "postgresql":
        columns += ", vector"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_match WHERE id = %s", [missing_id])
        cursor.execute("UPDATE search_match SET popularity = popularity + 1 WHERE id = %s", [stale_id])
        # a match row whose document is gone (a restore of one table, a write with triggers off)
        copied = columns.replace("object_id", "object_id + 1000000")
        cursor.execute(
            f"INSERT INTO search_match (id, {columns}) SELECT id + 1000000, {copied} "
            "FROM search_match WHERE id = %s",
            [other_id],
        )
    assert selectors.search(query="电流", respell=False).all_total == 0
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_check", kind="k12.lesson", no_progress=True)
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "match table: 1 missing, 1 extra, 1 stale" in out
    call_command("search_reindex", kind="k12.lesson", no_progress=True)
    call_command("search_check", no_progress=True)
    assert "up to date" in capsys.readouterr().out
    assert selectors.search(query="电流", respell=False).all_total == 1
    assert selectors.search(query="电功率", respell=False).all_total == 1


def test_indexing_many_batches_analyses_the_index_tables_after_the_first(monkeypatch):
    """The documents' trigger keeps a plan per session made from the statistics of its first use; an empty
    table's make the match row's key lookup a sequential scan, kept while the table grows (the seed's
    40,000 documents: 280 s instead of 93 s). Fresh statistics after the first batch replace that plan."""
    lessons = [LessonFactory(title=f"第{n}课 电与磁") for n in range(5)]
    SearchDocument.objects.all().delete()
    monkeypatch.setattr(services, "BATCH", 2)
    calls: list[str] = []
    index_batch = services.search_index_objects
    monkeypatch.setattr(
        services,
        "search_index_objects",
        lambda **kw: calls.append("batch") or index_batch(**kw),
    )
    monkeypatch.setattr(services, "_analyze", lambda: calls.append("analyse"))
    services.search_reconcile()
    assert calls[:3] == ["batch", "analyse", "batch"]
    assert calls.count("batch") == 3
    assert all(indexed(lesson) is not None for lesson in lessons)

    calls.clear()  # the bulk loaders' path too, and a single batch needs no statistics
    SearchDocument.objects.all().delete()
    services.search_index_bulk(kind="k12.lesson", ids=[lessons[0].pk])
    assert calls == ["batch"]
    services.search_index_bulk(kind="k12.lesson", ids=[lesson.pk for lesson in lessons])
    assert calls[1:4] == ["batch", "analyse", "batch"]


def test_a_queryset_is_queued_in_one_statement_without_its_ids_coming_to_python(settings):
    """A bulk loader's millions of rows (or a platform's courses switched off) are queued by
    ``INSERT … SELECT``; a row already queued has its time moved on, so its indexing is not lost."""
    from datetime import timedelta

    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    chosen = [LessonFactory(title="电流"), LessonFactory(title="电压")]
    other = LessonFactory(title="声音")
    SearchDocument.objects.all().delete()
    SearchPending.objects.all().delete()
    settings.SEARCH_INDEX_EAGER = False
    long_ago = timezone.now() - timedelta(days=1)
    SearchPending.objects.create(kind="k12.lesson", object_id=chosen[0].pk, marked_at=long_ago)

    with CaptureQueriesContext(connection) as queries:
        services.search_mark_changed(
            kind="k12.lesson", ids=Lesson.objects.filter(title__startswith="电").values_list("pk", flat=True)
        )
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1
    assert "SELECT" in inserts[0]
    queued = dict(SearchPending.objects.values_list("object_id", "marked_at"))
    assert set(queued) == {lesson.pk for lesson in chosen}
    assert queued[chosen[0].pk] > long_ago
    services.search_mark_changed(kind="k12.lesson", ids=Lesson.objects.filter(title="没有这一课"))
    assert SearchPending.objects.count() == 2

    services.search_index_pending()
    assert all(indexed(lesson) is not None for lesson in chosen)
    assert indexed(other) is None
    assert not SearchPending.objects.exists()


def test_a_queryset_is_indexed_at_once_where_indexing_is_eager(settings):
    lesson = LessonFactory(title="磁场")
    SearchDocument.objects.all().delete()
    settings.SEARCH_INDEX_EAGER = True
    services.search_mark_changed(kind="k12.lesson", ids=Lesson.objects.filter(pk=lesson.pk))
    assert indexed(lesson) is not None
    assert not SearchPending.objects.exists()
