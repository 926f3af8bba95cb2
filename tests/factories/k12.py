"""Factories for the K-12 sub-platform, built through ``k12.services`` so that they keep its invariants
(orders, a lesson's textbook, publication dates, checked files). Content is published unless a test says
otherwise. Counters (``view_count``) are not content: the statistics write them, so factories set them
directly after the service has created the row."""

from typing import Any

import factory
from django.utils import timezone

from k12 import services
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


class ServiceFactory(factory.Factory):
    """A factory whose ``create`` calls a service (``_service``) instead of ``Model.objects.create``."""

    class Meta:
        abstract = True

    _counters: tuple[str, ...] = ()

    @classmethod
    def _service(cls, **kwargs: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        counters = {name: kwargs.pop(name) for name in cls._counters if name in kwargs}
        obj = cls._service(**kwargs)
        if counters:
            model_class.objects.filter(pk=obj.pk).update(**counters)
            for name, value in counters.items():
                setattr(obj, name, value)
        return obj


class TagFactory(ServiceFactory):
    class Meta:
        model = Tag

    code = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.Sequence(lambda n: f"标签{n}")

    @classmethod
    def _service(cls, **kwargs: Any) -> Tag:
        return services.tag_get_or_create(**kwargs)


class ResourceFactory(ServiceFactory):
    class Meta:
        model = Resource

    class Params:
        section = None  # accepted for older callers; the service always takes the column's section

    _counters = ("view_count",)

    column = factory.LazyFunction(column)
    kind = ResourceKind.VIDEO
    audience = Audience.STUDENT
    title = factory.Sequence(lambda n: f"资源{n}")
    summary = "简介"
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _service(cls, **kwargs: Any) -> Resource:
        return services.resource_create(**kwargs)


class PublisherFactory(ServiceFactory):
    class Meta:
        model = Publisher

    name = factory.Sequence(lambda n: f"出版社{n}")

    @classmethod
    def _service(cls, **kwargs: Any) -> Publisher:
        return services.publisher_get_or_create(**kwargs)


def _textbook_slot(n: int) -> tuple[Edition, int, str]:
    """A distinct (edition, primary grade, term) for the n-th textbook, so unique constraints hold."""
    editions = list(Edition.objects.order_by("order"))
    edition = editions[n % len(editions)]
    rest = n // len(editions)
    return edition, 1 + rest % 6, [Volume.AUTUMN, Volume.SPRING][(rest // 6) % 2]


class TextbookFactory(ServiceFactory):
    class Meta:
        model = Textbook

    class Params:
        slot = factory.Sequence(_textbook_slot)

    edition = factory.LazyAttribute(lambda t: t.slot[0])
    subject = factory.LazyFunction(lambda: Subject.objects.get(code="math"))
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="primary"))
    grade = factory.LazyAttribute(lambda t: Grade.objects.get(number=t.slot[1]))
    volume = factory.LazyAttribute(lambda t: t.slot[2])
    publisher = factory.SubFactory(PublisherFactory)
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _service(cls, **kwargs: Any) -> Textbook:
        return services.textbook_create(**kwargs)


class UnitFactory(ServiceFactory):
    class Meta:
        model = Unit

    textbook = factory.SubFactory(TextbookFactory)
    order = None  # next in its textbook
    title = factory.Sequence(lambda n: f"第{n}单元")

    @classmethod
    def _service(cls, **kwargs: Any) -> Unit:
        return services.unit_create(**kwargs)


class LessonFactory(ServiceFactory):
    """A lesson; pass ``textbook=`` to put it in a new unit of that textbook (its unit decides it)."""

    class Meta:
        model = Lesson

    class Params:
        textbook = None

    _counters = ("view_count",)

    unit = factory.LazyAttribute(lambda o: UnitFactory(textbook=o.textbook) if o.textbook else UnitFactory())
    order = None  # next in its unit
    title = factory.Sequence(lambda n: f"第{n}课 认识数字")
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    start_page = 3
    end_page = 5

    @classmethod
    def _service(cls, **kwargs: Any) -> Lesson:
        return services.lesson_create(**kwargs)


class LessonHourFactory(ServiceFactory):
    class Meta:
        model = LessonHour

    lesson = factory.SubFactory(LessonFactory)
    order = None
    title = factory.Sequence(lambda n: f"第{n}课时")
    task_sheet = "观看视频并完成练习。"
    teaching_design = "导入—新授—练习。"
    duration = 1200

    @classmethod
    def _service(cls, **kwargs: Any) -> LessonHour:
        return services.lesson_hour_create(**kwargs)


class QuestionFactory(ServiceFactory):
    class Meta:
        model = Question

    hour = factory.SubFactory(LessonHourFactory)
    order = None
    kind = QuestionKind.CHOICE
    prompt = factory.Sequence(lambda n: f"题目{n}：1 + 1 等于几？")
    options = factory.LazyFunction(lambda: [{"key": "A", "text": "1"}, {"key": "B", "text": "2"}])
    answer = "B"
    explanation = "1 加 1 等于 2。"

    @classmethod
    def _service(cls, **kwargs: Any) -> Question:
        return services.question_create(**kwargs)


def lesson_with_exercises(**lesson_fields: Any) -> tuple[Lesson, list[Question]]:
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


class ETextbookFactory(ServiceFactory):
    class Meta:
        model = ETextbook

    _counters = ("view_count",)

    title = factory.Sequence(lambda n: f"电子教材{n}")
    publisher = factory.SubFactory(PublisherFactory)
    subject = factory.LazyFunction(lambda: Subject.objects.get(code="math"))
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="primary"))
    grade = factory.LazyFunction(lambda: Grade.objects.get(number=1))
    volume = Volume.AUTUMN
    pdf = factory.LazyFunction(lambda: minimal_pdf(title="test", pages=4))
    page_count = 4
    status = PublishStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _service(cls, **kwargs: Any) -> ETextbook:
        return services.etextbook_create(**kwargs)


class ChapterFactory(ServiceFactory):
    class Meta:
        model = ETextbookChapter

    etextbook = factory.SubFactory(ETextbookFactory)
    order = None
    title = factory.Sequence(lambda n: f"第{n}章")
    start_page = 1

    @classmethod
    def _service(cls, **kwargs: Any) -> ETextbookChapter:
        return services.chapter_create(**kwargs)
