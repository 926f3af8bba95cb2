"""Matching and ranking in the database of the mode the suite runs in (SQLite FTS5 or PostgreSQL)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k12.models import Lesson, PublishStatus
from smartedu.search import selectors, services
from smartedu.search.backends import Scope, get_backend
from smartedu.search.models import SearchDocument
from smartedu.search.text import normalize, parse_query
from tests.factories.k12 import LessonFactory, UnitFactory
from tests.search.test_text import HOSTILE

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [item.title for item in selectors.search(query=query, groups=False, **kwargs).items]


def test_two_character_and_one_character_queries_match_inside_words(toc):
    assert titles("股定")[:2] == ["17.1 勾股定理", "17.2 勾股定理的逆定理"]
    assert "24.1 圆的有关性质" in titles("圆")


def test_title_ranks_above_text_and_popularity_breaks_ties():
    unit = UnitFactory(title="第一单元")
    in_text = LessonFactory(unit=unit, title="第1课 复习", summary="勾股定理的复习", view_count=9000)
    popular = LessonFactory(unit=unit, title="勾股定理的应用", view_count=500)
    quiet = LessonFactory(unit=unit, title="勾股定理的证明", view_count=10)
    exact = LessonFactory(unit=unit, title="17.1 勾股定理", view_count=1)
    assert titles("勾股定理") == [exact.title, popular.title, quiet.title, in_text.title]


def test_facets_filter_within_a_platform(toc):
    senior = titles("函数", platform="k12", facets={"stage": "senior"})
    junior = titles("函数", platform="k12", facets={"stage": "junior"})
    assert senior
    assert junior
    assert not set(senior) & set(junior)


def test_expired_documents_are_not_shown():
    lesson = LessonFactory(title="限时课程")
    SearchDocument.objects.filter(kind="k12.lesson", object_id=lesson.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert titles("限时课程") == []


def test_the_sub_platform_filter_keeps_the_queryset_and_orders_by_tier(toc):
    found = get_backend().filter_queryset(Lesson.objects.all(), "k12.lesson", parse_query("勾股 逆定理"))
    assert [lesson.title for lesson in found] == ["17.2 勾股定理的逆定理"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector is PostgreSQL's")
def test_postgres_lexemes_are_exactly_the_stored_tokens_and_the_facet_values(toc):
    from smartedu.search.backends.postgresql import facet_lexeme

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.tokens_title, d.tokens_body, d.facets, "
            "array_to_string(tsvector_to_array(m.vector), ' ') "
            "FROM search_searchdocument d JOIN search_match m ON m.id = d.id"
        )
        rows = cursor.fetchall()
    assert rows
    for tokens_title, tokens_body, facets, lexemes in rows:
        facets = json.loads(facets) if isinstance(facets, str) else facets
        expected = {facet_lexeme(key, value).strip("'") for key, value in facets.items()}
        assert set(lexemes.split()) == set((tokens_title + " " + tokens_body).split()) | expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="facet lexemes are PostgreSQL's")
def test_postgres_a_change_of_facets_alone_reaches_the_match_vector(toc):
    from smartedu.search.backends.postgresql import facet_lexeme
    from smartedu.search.models import SearchDocument

    document = SearchDocument.objects.order_by("pk").first()
    SearchDocument.objects.filter(pk=document.pk).update(facets={"stage": "高中 'x'"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector @@ %s::tsquery FROM search_match WHERE id = %s",
            [facet_lexeme("stage", "高中 'x'"), document.pk],
        )
        assert cursor.fetchone()[0] is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_fts_follows_updates_and_deletes():
    lesson = LessonFactory(title="原来的标题")
    Lesson.objects.filter(pk=lesson.pk).update(title="新的标题内容")
    services.search_index_objects(kind="k12.lesson", ids=[lesson.pk])
    assert titles("原来的") == []
    assert titles("新的标题") == ["新的标题内容"]
    Lesson.objects.filter(pk=lesson.pk).update(status=PublishStatus.DRAFT)
    services.search_index_objects(kind="k12.lesson", ids=[lesson.pk])
    assert titles("新的标题") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=6).map(" ".join))
def test_any_string_is_searched_as_text_never_an_error(text):
    query = parse_query(text)
    backend = get_backend()
    scope = Scope(kinds=("k12.lesson", "k12.etextbook", "k12.resource"))
    backend.counts(query, scope)
    backend.hits(query, scope, offset=0, limit=5)
    backend.title_hits(parse_query(text, prefix=True), limit=5)
    selectors.search(query=text)
    selectors.suggest(query=text[:100])


@pytest.mark.parametrize("text", ["' 0\x00", "数学\x00 勾股", "\x00", "a\x07 b"])
def test_control_characters_are_dropped_before_any_sql(text):
    # PostgreSQL refuses a NUL in a string parameter: typeahead's name lookup passed the query through.
    selectors.search(query=text)
    selectors.suggest(query=text)
    assert "\x00" not in normalize(text)


def test_syntax_characters_in_a_title_are_found_as_text():
    LessonFactory(title="NEAR 与 AND 的区别")
    assert titles('"NEAR" AND') == ["NEAR 与 AND 的区别"]


@pytest.mark.parametrize("query", ["数学", "勾股定理", "圆", "二次 函数", "密度"])
def test_one_survey_answers_what_counts_and_the_best_hits_answer_separately(toc, query):
    # The results page reads its counts and first hits from one pass over the matches (backend.survey).
    backend, parsed = get_backend(), parse_query(query)
    every = Scope(kinds=selectors.scope_kinds())
    counts, grouped = backend.survey(parsed, every, platforms=["k12", "higher_ed"], per_platform=5)
    assert counts == backend.counts(parsed, every)
    assert grouped == backend.top_per_platform(parsed, every, per_platform=5)
    for offset in (0, 20):
        counts, page = backend.survey(parsed, every, offset=offset, limit=20)
        assert page == backend.hits(parsed, every, offset=offset, limit=20)
