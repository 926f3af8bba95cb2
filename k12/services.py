"""Every write of the K-12 sub-platform (STYLE.md: services do writes).

Functions are keyword-only, run in a transaction and raise Django's ``ValidationError`` (field → messages)
or ``PermissionDenied``; the API turns the former into a 400 and the latter into a 403.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from k12.models import (
    VOLUME_ORDER,
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Favourite,
    Grade,
    Lesson,
    LessonHour,
    LessonVisit,
    Publisher,
    PublishStatus,
    Question,
    QuestionKind,
    Resource,
    Stage,
    StageSubject,
    Subject,
    Submission,
    SubmissionAnswer,
    Tag,
    Textbook,
    Unit,
    Volume,
)
from smartedu.accounts.models import Role, User

# Volume names as they appear in Chinese textbook titles (data, like the names in the reference files).
VOLUME_TITLES = {
    Volume.AUTUMN: "上册",
    Volume.SPRING: "下册",
    Volume.SINGLE: "全一册",
    Volume.COMPULSORY_1: "必修第一册",
    Volume.COMPULSORY_2: "必修第二册",
    Volume.COMPULSORY_3: "必修第三册",
    Volume.ELECTIVE_1: "选择性必修第一册",
    Volume.ELECTIVE_2: "选择性必修第二册",
    Volume.ELECTIVE_3: "选择性必修第三册",
}
# Senior-secondary books go by volume only (必修/选择性必修); the others by grade and term.
UNGRADED_VOLUMES = frozenset(
    {
        Volume.COMPULSORY_1,
        Volume.COMPULSORY_2,
        Volume.COMPULSORY_3,
        Volume.ELECTIVE_1,
        Volume.ELECTIVE_2,
        Volume.ELECTIVE_3,
    }
)


# --- Publishing ---------------------------------------------------------------------------------


@transaction.atomic
def content_publish(*, queryset: QuerySet) -> int:
    """Publish every draft in ``queryset`` (resources, textbooks, lessons, e-textbooks); keeps first dates."""
    return queryset.exclude(status=PublishStatus.PUBLISHED).update(
        status=PublishStatus.PUBLISHED, published_at=Coalesce("published_at", timezone.now())
    )


@transaction.atomic
def content_unpublish(*, queryset: QuerySet) -> int:
    """Turn published items back into drafts: they disappear from every page and API list at once."""
    return queryset.filter(status=PublishStatus.PUBLISHED).update(status=PublishStatus.DRAFT)


def _stamp_publication(obj) -> None:
    if obj.status == PublishStatus.PUBLISHED and obj.published_at is None:
        obj.published_at = timezone.now()


# --- Resources ----------------------------------------------------------------------------------


@transaction.atomic
def resource_save(*, resource: Resource) -> Resource:
    """Validate and save a resource; its section always follows its column."""
    resource.section_id = resource.column.section_id
    _stamp_publication(resource)
    resource.full_clean()
    resource.save()
    return resource


def resource_create(
    *,
    column: Column,
    kind: str,
    audience: str,
    title: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    tags: Iterable[Tag] = (),
    stage: Stage | None = None,
    subject: Subject | None = None,
    status: str = PublishStatus.DRAFT,
) -> Resource:
    with transaction.atomic():
        resource = resource_save(
            resource=Resource(
                column=column,
                section_id=column.section_id,
                kind=kind,
                audience=audience,
                title=title,
                summary=summary,
                body=body,
                url=url,
                stage=stage,
                subject=subject,
                status=status,
            )
        )
        resource.tags.set(list(tags))
    return resource


# --- Textbooks down to questions ----------------------------------------------------------------


def textbook_title(*, edition: Edition, subject: Subject, grade: Grade | None, volume: str) -> str:
    grade_part = grade.name if grade else ""
    return f"{subject.name} {grade_part}{VOLUME_TITLES[Volume(volume)]}（{edition.name}）"


def textbook_validate(
    *, subject: Subject, stage: Stage, grade: Grade | None, volume: str
) -> dict[str, list[str]]:
    """The rules for subject, stage, grade and volume: ``{field: [messages]}``, empty if fine."""
    errors: dict[str, list[str]] = {}
    link = StageSubject.objects.filter(stage=stage, subject=subject).first()
    if link is None:
        errors["subject"] = [_("This subject is not taught in this stage.")]
    if grade is not None:
        if grade.stage_id != stage.pk:
            errors["grade"] = [_("This grade belongs to another stage.")]
        elif link is not None and grade.number < link.first_grade:
            errors["grade"] = [_("This subject starts in a later grade.")]
        if volume in UNGRADED_VOLUMES:
            errors["volume"] = [_("Compulsory and elective books have no grade: leave the grade empty.")]
    elif volume not in UNGRADED_VOLUMES:
        errors["grade"] = [_("Term volumes need a grade.")]
    return errors


@transaction.atomic
def textbook_create(
    *,
    edition: Edition,
    subject: Subject,
    stage: Stage,
    grade: Grade | None,
    volume: str,
    publisher: Publisher | None = None,
    title: str = "",
    status: str = PublishStatus.DRAFT,
) -> Textbook:
    """Create a textbook; the publisher defaults to the edition's and the title is made from its parts."""
    errors = textbook_validate(subject=subject, stage=stage, grade=grade, volume=volume)
    if errors:
        raise ValidationError(errors)
    if publisher is None:
        publisher, _created = Publisher.objects.get_or_create(name=edition.publisher)
    textbook = Textbook(
        edition=edition,
        subject=subject,
        stage=stage,
        grade=grade,
        volume=volume,
        publisher=publisher,
        title=title or textbook_title(edition=edition, subject=subject, grade=grade, volume=volume),
        order=textbook_order(grade=grade, volume=volume),
        status=status,
    )
    _stamp_publication(textbook)
    textbook.full_clean()
    textbook.save()
    return textbook


def textbook_order(*, grade: Grade | None, volume: str) -> int:
    return (grade.number if grade else 0) * 100 + VOLUME_ORDER[volume]


def _next_order(siblings: QuerySet) -> int:
    """One past the highest ``order`` among ``siblings`` (1 for the first)."""
    return (siblings.order_by("-order").values_list("order", flat=True).first() or 0) + 1


@transaction.atomic
def unit_create(*, textbook: Textbook, title: str, order: int | None = None) -> Unit:
    if order is None:
        order = _next_order(textbook.units)
    unit = Unit(textbook=textbook, title=title, order=order)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def lesson_create(
    *,
    unit: Unit,
    title: str,
    order: int | None = None,
    summary: str = "",
    start_page: int | None = None,
    end_page: int | None = None,
    status: str = PublishStatus.DRAFT,
) -> Lesson:
    if order is None:
        order = _next_order(unit.lessons)
    lesson = Lesson(
        textbook_id=unit.textbook_id,
        unit=unit,
        title=title,
        order=order,
        summary=summary,
        start_page=start_page,
        end_page=end_page,
        status=status,
    )
    _stamp_publication(lesson)
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def lesson_hour_create(
    *,
    lesson: Lesson,
    title: str,
    order: int | None = None,
    teaching_design: str = "",
    task_sheet: str = "",
    duration: int = 0,
) -> LessonHour:
    if order is None:
        order = _next_order(lesson.hours)
    hour = LessonHour(
        lesson=lesson,
        title=title,
        order=order,
        teaching_design=teaching_design,
        task_sheet=task_sheet,
        duration=duration,
    )
    hour.full_clean()
    hour.save()
    return hour


def question_validate(*, kind: str, options: list, answer: str) -> dict[str, list[str]]:
    """The shape each kind of question needs; ``{field: [messages]}``, empty if fine."""
    errors: dict[str, list[str]] = {}
    if kind == QuestionKind.CHOICE:
        keys = [o.get("key") for o in options if isinstance(o, dict) and o.get("key") and o.get("text")]
        if len(keys) < 2 or len(keys) != len(options) or len(set(keys)) != len(keys):
            errors["options"] = [
                _("A choice question needs two or more options, each with a key and a text.")
            ]
        elif answer not in keys:
            errors["answer"] = [_("The answer must be the key of one of the options.")]
    elif kind == QuestionKind.TRUE_FALSE:
        if options:
            errors["options"] = [_("A true-or-false question has no options.")]
        if answer not in ("true", "false"):
            errors["answer"] = [_("The answer must be true or false.")]
    elif not answer.strip():
        errors["answer"] = [_("Give the accepted answer.")]
    return errors


@transaction.atomic
def question_create(
    *,
    hour: LessonHour,
    kind: str,
    prompt: str,
    answer: str,
    options: list | None = None,
    explanation: str = "",
    order: int | None = None,
) -> Question:
    options = options or []
    errors = question_validate(kind=kind, options=options, answer=answer)
    if errors:
        raise ValidationError(errors)
    if order is None:
        order = _next_order(hour.questions)
    question = Question(
        hour=hour,
        kind=kind,
        prompt=prompt,
        options=options,
        answer=answer,
        explanation=explanation,
        order=order,
    )
    question.full_clean()
    question.save()
    return question


# --- Exercises ----------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return "".join(text.split()).casefold()


def answer_is_correct(*, question: Question, given: str) -> bool:
    if question.kind == QuestionKind.FILL_IN:
        return _normalise(given) in {_normalise(a) for a in question.answer.split("|")}
    return given.strip() == question.answer


def _valid_values(question: Question) -> set[str] | None:
    if question.kind == QuestionKind.CHOICE:
        return {option["key"] for option in question.options}
    if question.kind == QuestionKind.TRUE_FALSE:
        return {"true", "false"}
    return None  # fill-in: any text


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


@dataclass(frozen=True)
class GradedAnswer:
    question: Question
    given: str
    is_correct: bool


@transaction.atomic
def submission_create(*, student: User, lesson: Lesson, answers: Mapping[int, str]) -> Submission:
    """Grade a student's answers to every question of a published lesson and keep them.

    ``answers`` maps question ids to the answer given. Every question of the lesson must be answered and no
    other question may be: otherwise ``ValidationError({"answers": [...]})`` and nothing is written. Only
    students submit (``PermissionDenied`` for other roles and for a lesson that is not published).
    """
    if student.role != Role.STUDENT or not student.is_active:
        raise PermissionDenied(_("Only students submit exercises."))
    if not lesson.is_published:
        raise PermissionDenied(_("This lesson is not published."))
    questions = {
        q.pk: q for q in Question.objects.filter(hour__lesson=lesson).order_by("hour__order", "order")
    }
    given = {int(pk): str(value).strip() for pk, value in answers.items()}
    messages = []
    if not questions:
        messages.append(_("This lesson has no exercises."))
    foreign = set(given) - set(questions)
    if foreign:
        messages.append(_("These questions are not part of this lesson: %(ids)s.") % {"ids": _ids(foreign)})
    missing = {pk for pk in questions if not given.get(pk)}
    if missing:
        messages.append(_("Answer every question; unanswered: %(ids)s.") % {"ids": _ids(missing)})
    for pk, question in questions.items():
        valid = _valid_values(question)
        if given.get(pk) and valid is not None and given[pk] not in valid:
            messages.append(
                _("Question %(id)s: “%(value)s” is not one of its options.") % {"id": pk, "value": given[pk]}
            )
    if messages:
        raise ValidationError({"answers": messages})

    graded = [
        GradedAnswer(question=q, given=given[pk], is_correct=answer_is_correct(question=q, given=given[pk]))
        for pk, q in questions.items()
    ]
    correct = sum(answer.is_correct for answer in graded)
    submission = Submission.objects.create(
        student=student,
        lesson=lesson,
        correct_count=correct,
        question_count=len(graded),
        score=round(100 * correct / len(graded)),
    )
    SubmissionAnswer.objects.bulk_create(
        SubmissionAnswer(submission=submission, question=a.question, given=a.given, is_correct=a.is_correct)
        for a in graded
    )
    return submission


# --- Students' own lists ------------------------------------------------------------------------


@transaction.atomic
def favourite_add(*, user: User, lesson: Lesson | None = None, resource: Resource | None = None) -> Favourite:
    """Keep a lesson or a resource (exactly one); adding it twice keeps one favourite."""
    if (lesson is None) == (resource is None):
        raise ValidationError(_("Give a lesson or a resource."))
    favourite, _created = Favourite.objects.get_or_create(user=user, lesson=lesson, resource=resource)
    return favourite


@transaction.atomic
def favourite_remove(*, user: User, lesson: Lesson | None = None, resource: Resource | None = None) -> int:
    if (lesson is None) == (resource is None):
        raise ValidationError(_("Give a lesson or a resource."))
    deleted, _rows = Favourite.objects.filter(user=user, lesson=lesson, resource=resource).delete()
    return deleted


LESSON_VISIT_DEBOUNCE_SECONDS = 300


def lesson_visit_record(*, user: User, lesson: Lesson) -> None:
    """Remember that ``user`` opened ``lesson`` now, for "continue where you left off".

    A lesson page is a hot path: the upsert happens at most once per user and lesson every five minutes
    (an atomic ``cache.add`` decides), so reloads and back-and-forth browsing write nothing.
    """
    if not cache.add(f"k12:visit:{user.pk}:{lesson.pk}", 1, LESSON_VISIT_DEBOUNCE_SECONDS):
        return
    LessonVisit.objects.bulk_create(
        [LessonVisit(user=user, lesson=lesson, last_seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "lesson"],
        update_fields=["last_seen_at"],
    )


# --- E-textbooks --------------------------------------------------------------------------------


@transaction.atomic
def etextbook_create(
    *,
    title: str,
    publisher: Publisher,
    subject: Subject,
    stage: Stage,
    volume: str,
    pdf: bytes,
    page_count: int,
    grade: Grade | None = None,
    edition: Edition | None = None,
    textbook: Textbook | None = None,
    chapters: Iterable[tuple[str, int, Unit | None]] = (),
    status: str = PublishStatus.DRAFT,
) -> ETextbook:
    """Store an e-textbook's PDF under MEDIA_ROOT with its table of contents ``(title, first page, unit)``."""
    etextbook = ETextbook(
        title=title,
        publisher=publisher,
        subject=subject,
        stage=stage,
        grade=grade,
        volume=volume,
        edition=edition,
        textbook=textbook,
        page_count=page_count,
        status=status,
    )
    _stamp_publication(etextbook)
    etextbook.file.save(f"{subject.code}-{volume}.pdf", ContentFile(pdf), save=False)
    etextbook.full_clean()
    etextbook.save()
    rows = []
    for order, (chapter_title, start_page, unit) in enumerate(chapters, start=1):
        if not 1 <= start_page <= page_count:
            raise ValidationError({"chapters": [_("A chapter starts on a page the book does not have.")]})
        rows.append(
            ETextbookChapter(
                etextbook=etextbook, order=order, title=chapter_title, start_page=start_page, unit=unit
            )
        )
    ETextbookChapter.objects.bulk_create(rows)
    return etextbook
