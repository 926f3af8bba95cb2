import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from k12.models import (
    VOLUME_ORDER,
    Column,
    Favourite,
    Lesson,
    LessonHour,
    PublishStatus,
    Resource,
    Section,
    Stage,
    Textbook,
    Volume,
)
from tests.factories import UserFactory
from tests.factories.k12 import (
    LessonFactory,
    LessonHourFactory,
    ResourceFactory,
    TextbookFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_six_sections_and_36_columns_are_loaded_by_migration():
    assert list(Section.objects.values_list("name", flat=True)) == [
        "专题教育",
        "课程教学",
        "课后服务",
        "教师研修",
        "家庭教育",
        "教改实践经验",
    ]
    assert Column.objects.count() == 36
    assert set(
        Column.objects.filter(section__code="course-teaching").values_list("stage__name", flat=True)
    ) == {
        "小学",
        "初中",
        "高中",
    }
    assert Column.objects.filter(name="心理健康", section__code="thematic").exists()


def test_visible_excludes_drafts():
    shown = ResourceFactory()
    draft = ResourceFactory(status=PublishStatus.DRAFT)
    assert list(Resource.objects.visible()) == [shown]
    assert list(Resource.objects.drafts()) == [draft]
    assert shown.is_published


def test_a_lesson_is_visible_only_when_it_and_its_textbook_are_published():
    shown = LessonFactory()
    LessonFactory(status=PublishStatus.DRAFT)
    LessonFactory(textbook=TextbookFactory(status=PublishStatus.DRAFT))
    assert list(Lesson.objects.visible()) == [shown]
    assert [hour.lesson for hour in LessonHour.objects.visible()] == []
    hour = LessonHourFactory(lesson=shown)
    LessonHourFactory(lesson=LessonFactory(textbook=TextbookFactory(status=PublishStatus.DRAFT)))
    assert list(LessonHour.objects.visible()) == [hour]


def test_a_textbook_is_unique_per_edition_subject_grade_and_volume():
    book = TextbookFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Textbook.objects.create(
            edition=book.edition,
            subject=book.subject,
            stage=book.stage,
            grade=book.grade,
            volume=book.volume,
            title="again",
            publisher=book.publisher,
        )


def test_ungraded_senior_textbooks_are_unique_per_volume():
    book = TextbookFactory(grade=None, stage=Stage.objects.get(code="senior"), volume=Volume.COMPULSORY_1)
    fields = {
        "edition": book.edition,
        "subject": book.subject,
        "stage": book.stage,
        "publisher": book.publisher,
        "grade": None,
    }
    Textbook.objects.create(**fields, volume=Volume.COMPULSORY_2, title="第二册")
    with pytest.raises(IntegrityError), transaction.atomic():
        Textbook.objects.create(**fields, volume=Volume.COMPULSORY_1, title="again")


def test_a_lesson_cannot_end_before_it_starts():
    unit = UnitFactory()
    with pytest.raises(ValidationError):
        LessonFactory(unit=unit, start_page=9, end_page=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.create(unit=unit, textbook=unit.textbook, order=1, title="x", start_page=9, end_page=3)
    assert not Lesson.objects.exists()


def test_a_favourite_is_a_lesson_or_a_resource_not_both_nor_neither():
    user = UserFactory()
    lesson = LessonFactory()
    resource = ResourceFactory()
    for fields in ({}, {"lesson": lesson, "resource": resource}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Favourite.objects.create(user=user, **fields)
    Favourite.objects.create(user=user, lesson=lesson)
    with pytest.raises(IntegrityError), transaction.atomic():
        Favourite.objects.create(user=user, lesson=lesson)


def test_volumes_sort_terms_before_compulsory_before_elective():
    assert VOLUME_ORDER[Volume.AUTUMN] < VOLUME_ORDER[Volume.SPRING] < VOLUME_ORDER[Volume.COMPULSORY_1]
    assert VOLUME_ORDER[Volume.COMPULSORY_3] < VOLUME_ORDER[Volume.ELECTIVE_1]


def test_str_of_content_is_its_title():
    lesson = LessonFactory(title="第1课 认识数字")
    assert str(lesson) == "第1课 认识数字"
    assert str(lesson.textbook) == lesson.textbook.title
    assert str(Section.objects.get(code="thematic")) == "专题教育"
