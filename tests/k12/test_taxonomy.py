"""The taxonomy tables held per process: lesson pages join no taxonomy table and still show fresh names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from k12 import selectors, taxonomy
from k12.models import Edition
from tests.factories.k12 import LessonFactory

pytestmark = pytest.mark.django_db


def test_the_lesson_query_joins_no_taxonomy_table():
    lesson = LessonFactory()
    taxonomy.taxonomy(reload=True)
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.lesson_detail_get(pk=lesson.pk)
    lesson_query = ctx.captured_queries[0]["sql"]
    for table in ("k12_stage", "k12_grade", "k12_subject", "k12_edition", "k12_publisher"):
        assert table not in lesson_query
    with CaptureQueriesContext(connection) as ctx:
        names = (found.textbook.edition.name, found.textbook.subject.name, found.textbook.stage.name)
        publisher = found.textbook.publisher.name
    assert ctx.captured_queries == []
    assert names == (lesson.textbook.edition.name, lesson.textbook.subject.name, lesson.textbook.stage.name)
    assert publisher == lesson.textbook.publisher.name


def test_a_renamed_edition_shows_at_once_in_this_process(django_capture_on_commit_callbacks):
    lesson = LessonFactory()
    selectors.lesson_detail_get(pk=lesson.pk)
    edition = Edition.objects.get(pk=lesson.textbook.edition_id)
    with django_capture_on_commit_callbacks(execute=True):
        edition.name = "新名字版"
        edition.save()
    assert selectors.lesson_detail_get(pk=lesson.pk).textbook.edition.name == "新名字版"


def test_other_processes_see_the_moved_version(django_capture_on_commit_callbacks, monkeypatch):
    lesson = LessonFactory()
    held = taxonomy.taxonomy(reload=True)
    # Another process renames the edition: its save moves the shared version (simulated here).
    Edition.objects.filter(pk=lesson.textbook.edition_id).update(name="别处改名版")
    with django_capture_on_commit_callbacks(execute=True):
        taxonomy._move_version()
    monkeypatch.setitem(taxonomy._held, "taxonomy", held)
    monkeypatch.setitem(taxonomy._held, "checked", 0.0)  # the check interval has passed
    assert selectors.lesson_detail_get(pk=lesson.pk).textbook.edition.name == "别处改名版"


def test_an_id_the_copy_does_not_know_makes_it_read_again():
    held = taxonomy.taxonomy(reload=True)
    lesson = LessonFactory()  # may create a publisher or edition after the copy was read
    taxonomy._held["taxonomy"] = held
    found = selectors.lesson_detail_get(pk=lesson.pk)
    assert found.textbook.edition.pk == lesson.textbook.edition_id
