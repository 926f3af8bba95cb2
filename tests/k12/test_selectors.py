from datetime import timedelta

import pytest
from django.utils import timezone

from k12 import selectors, services
from k12.models import PublishStatus
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import (
    LessonFactory,
    LessonHourFactory,
    ResourceFactory,
    TextbookFactory,
    UnitFactory,
    lesson_with_exercises,
)

pytestmark = pytest.mark.django_db


def test_section_list_groups_the_36_columns_under_their_sections_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        sections = selectors.section_list()
    assert [s.section.code for s in sections][:2] == ["thematic", "course-teaching"]
    assert sum(len(s.columns) for s in sections) == 36
    assert [c.name for c in sections[1].columns] == ["小学", "初中", "高中"]


def test_hot_and_newest_come_from_one_query_and_skip_drafts(django_assert_num_queries):
    now = timezone.now()
    old_hot = ResourceFactory(view_count=900, published_at=now - timedelta(days=30))
    new_cold = ResourceFactory(view_count=1, published_at=now)
    ResourceFactory(view_count=10_000, status=PublishStatus.DRAFT)
    with django_assert_num_queries(1):
        hot, newest = selectors.resource_hot_and_newest(limit=1)
    assert hot == [old_hot]
    assert newest == [new_cold]


def test_textbook_browser_follows_the_choices_in_order():
    unit = UnitFactory(textbook=TextbookFactory(), title="第一单元")
    lesson = LessonFactory(unit=unit)
    LessonFactory(unit=unit, status=PublishStatus.DRAFT)
    book = unit.textbook
    state = selectors.textbook_browser(
        stage="primary", subject="math", edition=book.edition.code, textbook=book.pk, unit=unit.pk
    )
    assert state.stage.code == "primary"
    assert [s.code for s in state.subjects] == ["math"]
    assert state.editions == [book.edition]
    assert state.textbooks == [book]
    assert state.units == [unit]
    assert state.lessons == [lesson]


def test_textbook_browser_ignores_a_choice_that_does_not_follow_the_earlier_ones():
    book = TextbookFactory()
    state = selectors.textbook_browser(stage="junior", subject="math", edition=book.edition.code)
    assert state.stage.code == "junior"
    assert state.subjects == []  # no junior textbooks yet
    assert state.subject is None
    assert state.edition is None
    assert selectors.textbook_browser(stage="nowhere").stage is None


def test_textbook_browser_hides_draft_textbooks():
    TextbookFactory(status=PublishStatus.DRAFT)
    assert selectors.textbook_browser(stage="primary").subjects == []


def test_neighbours_cross_unit_boundaries_and_skip_drafts():
    book = TextbookFactory()
    first_unit = UnitFactory(textbook=book, order=1)
    second_unit = UnitFactory(textbook=book, order=2)
    a = LessonFactory(unit=first_unit, order=1)
    LessonFactory(unit=first_unit, order=2, status=PublishStatus.DRAFT)
    c = LessonFactory(unit=second_unit, order=1)
    assert selectors.lesson_neighbours(lesson=a).next == c
    assert selectors.lesson_neighbours(lesson=c).previous == a
    assert selectors.lesson_neighbours(lesson=a).previous is None


def test_lessons_of_a_draft_textbook_are_not_visible():
    lesson = LessonFactory(textbook=TextbookFactory(status=PublishStatus.DRAFT))
    assert selectors.lesson_detail_get(pk=lesson.pk) is None


def test_headline_figures_count_published_content_in_one_query_each(django_assert_num_queries):
    ResourceFactory.create_batch(2)
    ResourceFactory(status=PublishStatus.DRAFT)
    LessonHourFactory.create_batch(3)
    LessonHourFactory(lesson=LessonFactory(status=PublishStatus.DRAFT))
    with django_assert_num_queries(1):
        assert selectors.resource_count() == 5
    with django_assert_num_queries(1):
        assert selectors.lesson_hour_count() == 3


def test_a_student_sees_only_their_own_submissions():
    lesson, questions = lesson_with_exercises()
    answers = {q.pk: q.answer.split("|")[0] for q in questions}
    mine = services.submission_create(student=UserFactory(role=Role.STUDENT), lesson=lesson, answers=answers)
    other = UserFactory(role=Role.STUDENT)
    assert selectors.submission_get(student=other, pk=mine.pk) is None
    assert list(selectors.submission_list(student=other)) == []
    assert selectors.submission_get(student=mine.student, pk=mine.pk).score == 100


def test_recent_visits_and_favourites_hide_lessons_that_were_unpublished():
    user = UserFactory()
    shown, hidden = LessonFactory(), LessonFactory()
    for lesson in (shown, hidden):
        services.lesson_visit_record(user=user, lesson=lesson)
        services.favourite_add(user=user, lesson=lesson)
    services.content_unpublish(queryset=type(hidden).objects.filter(pk=hidden.pk))
    assert [v.lesson for v in selectors.recent_lesson_visits(user=user)] == [shown]
    assert [f.lesson for f in selectors.favourite_list(user=user)] == [shown]


def test_statistics_locate_only_visible_content():
    shown = LessonFactory()
    draft = LessonFactory(textbook=TextbookFactory(status=PublishStatus.DRAFT))
    assert set(selectors.lesson_locations([shown.pk, draft.pk])) == {shown.pk}
    resource, hidden = ResourceFactory(), ResourceFactory(status=PublishStatus.DRAFT)
    located = selectors.resource_locations([resource.pk, hidden.pk])
    assert set(located) == {resource.pk}
    assert located[resource.pk].section_ref == f"k12.section:{resource.section_id}"


def test_a_lesson_pages_state_is_the_visitors_own_in_one_statement(django_assert_num_queries):
    """The view count, the favourite and the last score: one statement signed in, the count alone otherwise;
    a resource with the same id as the lesson is never confused with it."""
    from k12.models import Lesson, Submission
    from tests.factories.k12 import LessonFactory, ResourceFactory

    lesson, resource = LessonFactory(), ResourceFactory()
    Lesson.objects.filter(pk=lesson.pk).update(view_count=41)
    student, other = UserFactory(role=Role.STUDENT), UserFactory(role=Role.STUDENT)
    services.favourite_add(user=student, lesson=lesson)
    first = Submission.objects.create(
        student=student, lesson=lesson, correct_count=1, question_count=3, score=33
    )
    latest = Submission.objects.create(
        student=student, lesson=lesson, correct_count=3, question_count=3, score=100
    )
    Submission.objects.filter(pk=first.pk).update(created_at=latest.created_at - timedelta(days=1))
    with django_assert_num_queries(1):
        mine = selectors.lesson_page_state(lesson_id=lesson.pk, user=student)
    assert mine == selectors.PageState(41, True, selectors.LastScore(latest.pk, 100))
    assert selectors.lesson_page_state(lesson_id=lesson.pk, user=other) == selectors.PageState(41)
    with django_assert_num_queries(1):
        assert selectors.lesson_page_state(lesson_id=lesson.pk, user=None) == selectors.PageState(41)
    # The favourite is of the lesson: the resource's page does not show it (ids may coincide).
    assert selectors.resource_page_state(resource_id=resource.pk, user=student).is_favourite is False
    services.favourite_add(user=student, resource=resource)
    assert selectors.resource_page_state(resource_id=resource.pk, user=student).is_favourite is True
