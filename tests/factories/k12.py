"""Factories for the K-12 sub-platform; content is published unless a test says otherwise."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from k12.models import (
    Audience,
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Grade,
    Lesson,
    LessonHour,
    Publisher,
    PublishStatus,
    Question,
    QuestionKind,
    Resource,
    ResourceKind,
    Stage,
    Subject,
    Tag,
    Textbook,
    Unit,
    Volume,
)
from k12.pdf import minimal_pdf


def column(code: str = "party-history") -> Column:
    """One of the 36 columns loaded by migration."""
    return Column.objects.select_related("section").get(code=code)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.Sequence(lambda n: f"标签{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    column = factory.LazyFunction(column)
    section = factory.LazyAttribute(lambda r: r.column.section)
    kind = ResourceKind.VIDEO
    audience = Audience.STUDENT
    title = factory.Sequence(lambda n: f"资源{n}")
    summary = "简介"
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"出版社{n}")


def _textbook_slot(n: int) -> tuple[Edition, int, str]:
    """A distinct (edition, primary grade, term) for the n-th textbook, so unique constraints hold."""
    editions = list(Edition.objects.order_by("order"))
    edition = editions[n % len(editions)]
    rest = n // len(editions)
    return edition, 1 + rest % 6, [Volume.AUTUMN, Volume.SPRING][(rest // 6) % 2]


class TextbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Textbook

    class Params:
        slot = factory.Sequence(_textbook_slot)

    edition = factory.LazyAttribute(lambda t: t.slot[0])
    subject = factory.LazyFunction(lambda: Subject.objects.get(code="math"))
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="primary"))
    grade = factory.LazyAttribute(lambda t: Grade.objects.get(number=t.slot[1]))
    volume = factory.LazyAttribute(lambda t: t.slot[2])
    title = factory.LazyAttribute(
        lambda t: f"数学 {t.grade.name if t.grade else ''}{t.volume}（{t.edition.name}）"
    )
    publisher = factory.SubFactory(PublisherFactory)
    order = factory.LazyAttribute(lambda t: t.grade.number * 100 if t.grade else 0)
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    textbook = factory.SubFactory(TextbookFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"第{n}单元")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    unit = factory.SubFactory(UnitFactory)
    textbook = factory.LazyAttribute(lambda lesson: lesson.unit.textbook)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"第{n}课 认识数字")
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    start_page = 3
    end_page = 5


class LessonHourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonHour

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"第{n}课时")
    task_sheet = "观看视频并完成练习。"
    teaching_design = "导入—新授—练习。"
    duration = 1200


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    hour = factory.SubFactory(LessonHourFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = QuestionKind.CHOICE
    prompt = factory.Sequence(lambda n: f"题目{n}：1 + 1 等于几？")
    options = factory.LazyFunction(lambda: [{"key": "A", "text": "1"}, {"key": "B", "text": "2"}])
    answer = "B"
    explanation = "1 加 1 等于 2。"


def lesson_with_exercises(**lesson_fields) -> tuple[Lesson, list[Question]]:
    """A lesson with two hours and three questions: choice (B), true-or-false (true), blank (7|七)."""
    lesson = LessonFactory(**lesson_fields)
    first = LessonHourFactory(lesson=lesson, order=1)
    second = LessonHourFactory(lesson=lesson, order=2)
    questions = [
        QuestionFactory(hour=first, order=1),
        QuestionFactory(hour=first, order=2, kind=QuestionKind.TRUE_FALSE, options=[], answer="true"),
        QuestionFactory(hour=second, order=1, kind=QuestionKind.FILL_IN, options=[], answer="7|七"),
    ]
    return lesson, questions


class ETextbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ETextbook

    title = factory.Sequence(lambda n: f"电子教材{n}")
    publisher = factory.SubFactory(PublisherFactory)
    subject = factory.LazyFunction(lambda: Subject.objects.get(code="math"))
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="primary"))
    grade = factory.LazyFunction(lambda: Grade.objects.get(number=1))
    volume = Volume.AUTUMN
    file = factory.LazyFunction(lambda: ContentFile(minimal_pdf(title="test", pages=4), name="test.pdf"))
    page_count = 4
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ETextbookChapter

    etextbook = factory.SubFactory(ETextbookFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"第{n}章")
    start_page = 1
