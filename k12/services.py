"""Every write of the K-12 sub-platform (STYLE.md: services do writes).

The admin, the API, the views, the seeder and the tests' factories all write through these functions, so
the invariants hold whoever writes:

* a published item has ``published_at`` (the first publication date is kept on republishing);
* a resource's section is its column's, a lesson's textbook is its unit's;
* ``order`` is never left at 0: a unit, lesson, lesson hour, question or chapter without one goes last;
* a textbook's title, order and publisher follow from its edition, subject, grade and volume;
* a file is checked (kind by content, size) before anything is written to storage.

Functions are keyword-only, run in a transaction and raise Django's ``ValidationError`` (field → messages)
or ``PermissionDenied``; the API turns the former into a 400 and the latter into a 403. The pure rules they
apply live in ``k12.rules``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from k12 import access, rules, selectors
from k12.models import (
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Favourite,
    Grade,
    Lesson,
    LessonHour,
    LessonVisit,
    PartnerLink,
    PrepItem,
    PrepPlan,
    Publishable,
    Publisher,
    PublishStatus,
    Question,
    Resource,
    Stage,
    StageSubject,
    Subject,
    Submission,
    SubmissionAnswer,
    Tag,
    Textbook,
    Unit,
)
from k12.models.publishing import publication
from smartedu.accounts.models import User
from smartedu.portal.pagecache import generation_bump, page_cache_invalidate
from smartedu.portal.uploads import (
    CAPTIONS_UPLOAD,
    DOCUMENT_UPLOAD,
    IMAGE_UPLOAD,
    MP4_UPLOAD,
    PDF_UPLOAD,
    SLIDES_UPLOAD,
    VIDEO_UPLOAD,
    UploadPolicy,
)
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Purpose, Quiz
from smartedu.quizzes.models import Question as QuizQuestionRow

_UNSET_ID: Any = object()
_UNSET_TIME: Any = object()

# --- Publishing ---------------------------------------------------------------------------------

logger = logging.getLogger(__name__)


@transaction.atomic
def content_publish(*, queryset: QuerySet[Any]) -> int:
    """Publish every draft in ``queryset`` (resources, textbooks, lessons, e-textbooks); keeps first dates.

    An update sends no signal: cached pages and blocks of pages are made stale here (after the commit)."""
    page_cache_invalidate()
    return queryset.filter(status=PublishStatus.DRAFT).update(
        **publication(at=Coalesce("published_at", timezone.now()))
    )


@transaction.atomic
def content_unpublish(*, queryset: QuerySet[Any]) -> int:
    """Turn published items back into drafts: they disappear from every page, API list and /media/ at once."""
    page_cache_invalidate()
    return queryset.exclude(status=PublishStatus.DRAFT).update(status=PublishStatus.DRAFT)


def _stamp_publication(obj: Publishable, *, at: datetime | None = None) -> None:
    """A published item without a publication date gets one (``at``, else now)."""
    if obj.is_published and obj.published_at is None:
        obj.published_at = at or timezone.now()


def _next_order(siblings: QuerySet[Any]) -> int:
    """One past the highest ``order`` among ``siblings`` (1 for the first), in one query."""
    return rules.next_order([siblings.aggregate(top=Max("order"))["top"]])


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


# --- Taxonomy-like rows the content needs --------------------------------------------------------


@transaction.atomic
def publisher_get_or_create(*, name: str) -> Publisher:
    publisher, _created = Publisher.objects.get_or_create(name=name)
    return publisher


@transaction.atomic
def tag_get_or_create(*, code: str, name: str) -> Tag:
    tag, _created = Tag.objects.get_or_create(code=code, defaults={"name": name})
    return tag


# --- Files --------------------------------------------------------------------------------------


def file_store(*, policy: UploadPolicy, content: bytes, name: str, field_name: str = "file") -> str:
    """Check ``content`` against ``policy``, then write it at ``name`` (replacing an older file there).

    For generated files whose name the caller owns (the seeder's demo media); uploads go through their
    field's ``RandomName`` instead. Nothing is written when the check fails.
    """
    try:
        policy.check(content)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from exc
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _checked(policy: UploadPolicy, upload: File | bytes | None, field_name: str) -> File | None:
    """An upload as a ``File`` once ``policy`` accepts it; ``ValidationError`` naming the field otherwise."""
    if upload is None:
        return None
    try:
        policy.check(upload)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from exc
    return ContentFile(upload, name=f"upload.{policy.kinds[0]}") if isinstance(upload, bytes) else upload


def _attach_video_extras(
    target: Resource | LessonHour,
    *,
    video_mp4: File | bytes | None,
    poster: File | bytes | None,
    captions: File | bytes | None,
) -> None:
    """Check and attach a video's MP4 copy, poster and captions (``ValidationError`` naming the field)."""
    for field_name, policy, upload in (
        ("video_mp4", MP4_UPLOAD, video_mp4),
        ("poster", IMAGE_UPLOAD, poster),
        ("captions", CAPTIONS_UPLOAD, captions),
    ):
        checked = _checked(policy, upload, field_name)
        if checked is not None:
            setattr(target, field_name, checked)


# --- Resources ----------------------------------------------------------------------------------


@transaction.atomic
def resource_save(*, resource: Resource) -> Resource:
    """Validate and save a resource; its section always follows its column."""
    resource.section_id = resource.column.section_id
    _stamp_publication(resource)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
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
    duration: int | None = None,
    video: File | bytes | None = None,
    video_mp4: File | bytes | None = None,
    poster: File | bytes | None = None,
    captions: File | bytes | None = None,
    file: File | bytes | None = None,
    status: str = PublishStatus.DRAFT,
    published_at: datetime | None = None,
) -> Resource:
    """Create a resource; its files are checked (kind by content, size) before they are stored."""
    resource = Resource(
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
        duration=duration,
        status=status,
        published_at=published_at,
    )
    checked_video = _checked(VIDEO_UPLOAD, video, "video")
    checked_file = _checked(DOCUMENT_UPLOAD, file, "file")
    if checked_video is not None:
        resource.video = checked_video
    if checked_file is not None:
        resource.file = checked_file
    _attach_video_extras(resource, video_mp4=video_mp4, poster=poster, captions=captions)
    resource = resource_save(resource=resource)
    resource.tags.set(list(tags))
    return resource


@dataclass(frozen=True)
class ResourceSpec:
    """A published column resource for :func:`resource_bulk_create` (the seeder's thousands)."""

    column: Column
    kind: str
    audience: str
    title: str
    summary: str = ""
    body: str = ""
    url: str = ""
    subject_id: int | None = None
    duration: int | None = None
    video: str = ""  # stored names, checked when they were stored
    video_mp4: str = ""
    poster: str = ""
    captions: str = ""
    published_at: datetime | None = None
    view_count: int = 0
    tag_ids: tuple[int, ...] = ()


@transaction.atomic
def resource_bulk_create(*, specs: Sequence[ResourceSpec]) -> list[Resource]:
    """Create many published resources in a few queries, with the same invariants as ``resource_save``."""
    now = timezone.now()
    rows = [
        Resource(
            column=spec.column,
            section_id=spec.column.section_id,
            kind=spec.kind,
            audience=spec.audience,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            url=spec.url,
            subject_id=spec.subject_id,
            duration=spec.duration,
            video=spec.video,
            video_mp4=spec.video_mp4,
            poster=spec.poster,
            captions=spec.captions,
            **publication(at=spec.published_at or now),
            view_count=spec.view_count,
        )
        for spec in specs
    ]
    Resource.objects.bulk_create(rows)
    page_cache_invalidate()  # a bulk insert sends no signal
    through = Resource.tags.through
    through.objects.bulk_create(
        through(resource_id=row.pk, tag_id=tag_id)
        for row, spec in zip(rows, specs, strict=True)
        for tag_id in spec.tag_ids
    )
    return rows


# --- Textbooks ----------------------------------------------------------------------------------


def _first_grades() -> dict[tuple[int, int], int]:
    """``{(stage id, subject id): first grade}`` of every subject taught in a stage (one query)."""
    return {
        (stage_id, subject_id): first
        for stage_id, subject_id, first in StageSubject.objects.values_list(
            "stage_id", "subject_id", "first_grade"
        )
    }


def textbook_check(
    *,
    subject: Subject,
    stage: Stage,
    grade: Grade | None,
    volume: str,
    first_grades: Mapping[tuple[int, int], int] | None = None,
) -> dict[str, list[str]]:
    """The rules for subject, stage, grade and volume: ``{field: [messages]}``, empty if fine."""
    first_grades = _first_grades() if first_grades is None else first_grades
    return rules.textbook_validate(
        stage_id=stage.pk,
        first_grade=first_grades.get((stage.pk, subject.pk)),
        grade_stage_id=grade.stage_id if grade else None,
        grade_number=grade.number if grade else None,
        volume=volume,
    )


def _textbook_prepare(textbook: Textbook, *, first_grades: Mapping[tuple[int, int], int] | None) -> None:
    _raise(
        textbook_check(
            subject=textbook.subject,
            stage=textbook.stage,
            grade=textbook.grade,
            volume=textbook.volume,
            first_grades=first_grades,
        )
    )
    if textbook.publisher_id is None:
        textbook.publisher = publisher_get_or_create(name=textbook.edition.publisher)
    if not textbook.title:
        textbook.title = rules.textbook_title(
            edition_name=textbook.edition.name,
            subject_name=textbook.subject.name,
            grade_name=textbook.grade.name if textbook.grade else None,
            volume=textbook.volume,
        )
    textbook.order = rules.textbook_order(
        grade_number=textbook.grade.number if textbook.grade else None, volume=textbook.volume
    )
    _stamp_publication(textbook)


@transaction.atomic
def textbook_save(*, textbook: Textbook) -> Textbook:
    """Validate and save a textbook: publisher defaults to the edition's, title and order follow its parts."""
    _textbook_prepare(textbook, first_grades=None)
    textbook.full_clean()
    textbook.save()
    return textbook


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
    published_at: datetime | None = None,
) -> Textbook:
    """Create a textbook; the publisher defaults to the edition's and the title is made from its parts."""
    textbook = Textbook(
        edition=edition,
        subject=subject,
        stage=stage,
        grade=grade,
        volume=volume,
        title=title,
        status=status,
        published_at=published_at,
    )
    if publisher is not None:
        textbook.publisher = publisher
    return textbook_save(textbook=textbook)


@transaction.atomic
def textbook_bulk_create(*, textbooks: Sequence[Textbook]) -> list[Textbook]:
    """Create many textbooks in one insert, each checked and completed like ``textbook_save``."""
    first_grades = _first_grades()
    for textbook in textbooks:
        _textbook_prepare(textbook, first_grades=first_grades)
    page_cache_invalidate()  # a bulk insert sends no signal
    return Textbook.objects.bulk_create(textbooks)


# --- Units, lessons, lesson hours, questions ----------------------------------------------------


@transaction.atomic
def unit_save(*, unit: Unit) -> Unit:
    """Validate and save a unit; without an order it goes after its textbook's last unit."""
    if not unit.order:
        unit.order = _next_order(Unit.objects.filter(textbook_id=unit.textbook_id).exclude(pk=unit.pk))
    unit.full_clean()
    unit.save()
    return unit


def unit_create(*, textbook: Textbook, title: str, order: int | None = None) -> Unit:
    return unit_save(unit=Unit(textbook=textbook, title=title, order=order or 0))


@transaction.atomic
def lesson_save(*, lesson: Lesson) -> Lesson:
    """Validate and save a lesson: its textbook is its unit's, it goes last without an order, and it is
    stamped with a publication date when published."""
    lesson.textbook_id = lesson.unit.textbook_id
    if not lesson.order:
        lesson.order = _next_order(Lesson.objects.filter(unit_id=lesson.unit_id).exclude(pk=lesson.pk))
    _stamp_publication(lesson)
    lesson.full_clean()
    lesson.save()
    return lesson


def lesson_create(
    *,
    unit: Unit,
    title: str,
    order: int | None = None,
    summary: str = "",
    start_page: int | None = None,
    end_page: int | None = None,
    status: str = PublishStatus.DRAFT,
    published_at: datetime | None = None,
) -> Lesson:
    return lesson_save(
        lesson=Lesson(
            unit=unit,
            title=title,
            order=order or 0,
            summary=summary,
            start_page=start_page,
            end_page=end_page,
            status=status,
            published_at=published_at,
        )
    )


@transaction.atomic
def lesson_hour_save(*, hour: LessonHour) -> LessonHour:
    """Validate and save a lesson hour (its files are checked by their fields' upload policies)."""
    if not hour.order:
        hour.order = _next_order(LessonHour.objects.filter(lesson_id=hour.lesson_id).exclude(pk=hour.pk))
    hour.full_clean()
    hour.save()
    return hour


def lesson_hour_create(
    *,
    lesson: Lesson,
    title: str,
    order: int | None = None,
    teaching_design: str = "",
    task_sheet: str = "",
    duration: int = 0,
    video: File | bytes | None = None,
    video_mp4: File | bytes | None = None,
    poster: File | bytes | None = None,
    captions: File | bytes | None = None,
    slides: File | bytes | None = None,
) -> LessonHour:
    hour = LessonHour(
        lesson=lesson,
        title=title,
        order=order or 0,
        teaching_design=teaching_design,
        task_sheet=task_sheet,
        duration=duration,
    )
    checked_video = _checked(VIDEO_UPLOAD, video, "video")
    checked_slides = _checked(SLIDES_UPLOAD, slides, "slides")
    if checked_video is not None:
        hour.video = checked_video
    if checked_slides is not None:
        hour.slides = checked_slides
    _attach_video_extras(hour, video_mp4=video_mp4, poster=poster, captions=captions)
    return lesson_hour_save(hour=hour)


@transaction.atomic
def question_save(*, question: Question) -> Question:
    """Validate (shape of its kind) and save a question; without an order it goes last in its hour."""
    _raise(
        rules.question_validate(kind=question.kind, options=question.options, answer=question.answer or "")
    )
    if not question.order:
        question.order = _next_order(
            Question.objects.filter(hour_id=question.hour_id).exclude(pk=question.pk)
        )
    question.full_clean()
    question.save()
    return question


def question_create(
    *,
    hour: LessonHour,
    kind: str,
    prompt: str,
    answer: str,
    options: list[dict[str, str]] | None = None,
    explanation: str = "",
    order: int | None = None,
) -> Question:
    return question_save(
        question=Question(
            hour=hour,
            kind=kind,
            prompt=prompt,
            options=options or [],
            answer=answer,
            explanation=explanation,
            order=order or 0,
        )
    )


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    prompt: str
    answer: str
    options: list[dict[str, str]] = field(default_factory=list)
    explanation: str = ""


@dataclass(frozen=True)
class HourSpec:
    title: str
    teaching_design: str = ""
    task_sheet: str = ""
    duration: int = 0
    video: str = ""  # stored names, checked when they were stored
    video_mp4: str = ""
    poster: str = ""
    captions: str = ""
    slides: str = ""
    questions: Sequence[QuestionSpec] = ()


@dataclass(frozen=True)
class LessonSpec:
    title: str
    summary: str = ""
    start_page: int | None = None
    end_page: int | None = None
    view_count: int = 0
    hours: Sequence[HourSpec] = ()


@dataclass(frozen=True)
class UnitSpec:
    title: str
    lessons: Sequence[LessonSpec] = ()


@transaction.atomic
def textbook_trees_create(
    *, trees: Sequence[tuple[Textbook, Sequence[UnitSpec]]], published_at: datetime | None = None
) -> list[Lesson]:
    """Give textbooks their units → published lessons → hours → questions, in four inserts in all.

    The bulk path of the seeder keeps the invariants of the one-by-one services: orders count from 1 in
    each parent, a lesson's textbook is its unit's, published lessons carry ``published_at``, and every
    question has the shape its kind needs (``ValidationError`` before anything is written otherwise).
    """
    for _textbook, book_units in trees:
        for unit_spec in book_units:
            for lesson_spec in unit_spec.lessons:
                for hour_spec in lesson_spec.hours:
                    for question in hour_spec.questions:
                        _raise(
                            rules.question_validate(
                                kind=question.kind, options=question.options, answer=question.answer
                            )
                        )
    when = published_at or timezone.now()
    units = [
        Unit(textbook=textbook, order=order, title=unit_spec.title)
        for textbook, unit_specs_of_book in trees
        for order, unit_spec in enumerate(unit_specs_of_book, start=1)
    ]
    Unit.objects.bulk_create(units)
    unit_specs = [unit_spec for _textbook, unit_specs_of_book in trees for unit_spec in unit_specs_of_book]
    lessons = [
        Lesson(
            textbook_id=unit.textbook_id,
            unit=unit,
            order=order,
            title=spec.title,
            summary=spec.summary,
            start_page=spec.start_page,
            end_page=spec.end_page,
            view_count=spec.view_count,
            **publication(at=when),
        )
        for unit, unit_spec in zip(units, unit_specs, strict=True)
        for order, spec in enumerate(unit_spec.lessons, start=1)
    ]
    Lesson.objects.bulk_create(lessons)
    page_cache_invalidate()  # a bulk insert sends no signal
    lesson_specs = [spec for unit_spec in unit_specs for spec in unit_spec.lessons]
    hours = [
        LessonHour(
            lesson=lesson,
            order=order,
            title=spec.title,
            teaching_design=spec.teaching_design,
            task_sheet=spec.task_sheet,
            duration=spec.duration,
            video=spec.video,
            video_mp4=spec.video_mp4,
            poster=spec.poster,
            captions=spec.captions,
            slides=spec.slides,
        )
        for lesson, lesson_spec in zip(lessons, lesson_specs, strict=True)
        for order, spec in enumerate(lesson_spec.hours, start=1)
    ]
    LessonHour.objects.bulk_create(hours, batch_size=2000)
    hour_specs = [spec for lesson_spec in lesson_specs for spec in lesson_spec.hours]
    Question.objects.bulk_create(
        (
            Question(
                hour=hour,
                order=order,
                kind=spec.kind,
                prompt=spec.prompt,
                options=spec.options,
                answer=spec.answer,
                explanation=spec.explanation,
            )
            for hour, hour_spec in zip(hours, hour_specs, strict=True)
            for order, spec in enumerate(hour_spec.questions, start=1)
        ),
        batch_size=2000,
    )
    return lessons


# --- Exercises ----------------------------------------------------------------------------------


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


@dataclass(frozen=True)
class GradedAnswer:
    question: Question
    given: str
    is_correct: bool


@transaction.atomic
def submission_create(*, student: User, lesson: Lesson, answers: Mapping[int, str]) -> Submission:
    """Grade a student's answers to every question of a visible lesson and keep them.

    ``answers`` maps question ids to the answer given. Every question of the lesson must be answered and no
    other question may be: otherwise ``ValidationError({"answers": [...]})`` and nothing is written. Only
    students submit (``PermissionDenied`` for other roles and for a lesson that is not visible).
    """
    access.check_can_submit_exercises(student)
    if not Lesson.objects.visible().filter(pk=lesson.pk).exists():
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
        valid = rules.valid_answers(kind=question.kind, options=question.options)
        if given.get(pk) and valid is not None and given[pk] not in valid:
            messages.append(
                _("Question %(id)s: “%(value)s” is not one of its options.") % {"id": pk, "value": given[pk]}
            )
    if messages:
        raise ValidationError({"answers": messages})

    graded = [
        GradedAnswer(
            question=q,
            given=given[pk],
            is_correct=rules.answer_is_correct(kind=q.kind, answer=q.answer, given=given[pk]),
        )
        for pk, q in questions.items()
    ]
    correct = sum(answer.is_correct for answer in graded)
    submission = Submission.objects.create(
        student=student,
        lesson=lesson,
        correct_count=correct,
        question_count=len(graded),
        score=rules.score(correct=correct, total=len(graded)),
    )
    SubmissionAnswer.objects.bulk_create(
        SubmissionAnswer(submission=submission, question=a.question, given=a.given, is_correct=a.is_correct)
        for a in graded
    )
    return submission


# --- Students' own lists ------------------------------------------------------------------------


@transaction.atomic
def favourite_add(*, user: User, lesson: Lesson | None = None, resource: Resource | None = None) -> Favourite:
    """Keep a lesson or a resource (exactly one); adding it twice keeps one favourite.

    Favourites are more than a learning record: a student under 14 keeps them only once a linked guardian
    has consented (PIPL), else ``PermissionDenied``."""
    if (lesson is None) == (resource is None):
        raise ValidationError(_("Give a lesson or a resource."))
    if not access.may_keep_personal_data(user):
        raise PermissionDenied(_("Favourites are kept once a parent linked to your account consents."))
    favourite, _created = Favourite.objects.get_or_create(user=user, lesson=lesson, resource=resource)
    return favourite


@transaction.atomic
def favourite_remove(*, user: User, lesson: Lesson | None = None, resource: Resource | None = None) -> int:
    if (lesson is None) == (resource is None):
        raise ValidationError(_("Give a lesson or a resource."))
    deleted, _rows = Favourite.objects.filter(user=user, lesson=lesson, resource=resource).delete()
    return deleted


LESSON_VISIT_DEBOUNCE_SECONDS = 300


def _version_bump(key: str) -> None:
    try:
        generation_bump(key, timeout=selectors.LESSON_VISITS_VERSION_SECONDS)
    except Exception:  # the cache that holds the version is down: so is the copy it would make stale
        logger.warning("k12: cannot move a user's visits version", exc_info=True)


def lesson_visit_record(*, user: User, lesson: Lesson, at: datetime | None = None) -> None:
    """Remember that ``user`` opened ``lesson`` now, for "continue where you left off".

    A lesson page is a hot path: the upsert happens at most once per user and lesson every five minutes
    (an atomic ``cache.add`` decides), so reloads and back-and-forth browsing write nothing.
    """
    if not cache.add(f"k12:visit:{user.pk}:{lesson.pk}", 1, LESSON_VISIT_DEBOUNCE_SECONDS):
        return
    LessonVisit.objects.bulk_create(
        [LessonVisit(user=user, lesson=lesson, last_seen_at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "lesson"],
        update_fields=["last_seen_at"],
    )
    # The K-12 home page keeps the user's "continue where you left off" per version of their visits.
    key = selectors.lesson_visits_key(user.pk)
    transaction.on_commit(lambda: _version_bump(key))


# --- E-textbooks --------------------------------------------------------------------------------


@transaction.atomic
def etextbook_save(*, etextbook: ETextbook) -> ETextbook:
    """Validate and save an e-textbook (its PDF is checked by its field's upload policy first)."""
    _stamp_publication(etextbook)
    etextbook.full_clean()
    etextbook.save()
    return etextbook


@transaction.atomic
def etextbook_create(
    *,
    title: str,
    publisher: Publisher,
    subject: Subject,
    stage: Stage,
    volume: str,
    pdf: bytes | File,
    page_count: int,
    grade: Grade | None = None,
    edition: Edition | None = None,
    textbook: Textbook | None = None,
    chapters: Iterable[tuple[str, int, Unit | None]] = (),
    status: str = PublishStatus.DRAFT,
    published_at: datetime | None = None,
) -> ETextbook:
    """Store an e-textbook's PDF with its table of contents ``(title, first page, unit)``.

    Everything is checked first (the PDF by content and size, the chapters' pages, the row); only then is
    the file written, and it is removed again if the row cannot be saved, so no orphan file is left.
    """
    toc = list(chapters)
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
        published_at=published_at,
    )
    _stamp_publication(etextbook)
    upload = _checked(PDF_UPLOAD, pdf, "file")
    assert upload is not None  # a PDF is required
    _raise(rules.chapters_validate(start_pages=[page for _t, page, _u in toc], page_count=page_count))
    etextbook.full_clean(exclude=["file"])
    etextbook.file.save(f"{subject.code}.pdf", upload, save=False)
    try:
        etextbook.save()
        ETextbookChapter.objects.bulk_create(
            ETextbookChapter(
                etextbook=etextbook, order=order, title=chapter_title, start_page=page, unit=unit
            )
            for order, (chapter_title, page, unit) in enumerate(toc, start=1)
        )
    except Exception:
        etextbook.file.storage.delete(etextbook.file.name)
        raise
    return etextbook


@transaction.atomic
def chapter_save(*, chapter: ETextbookChapter) -> ETextbookChapter:
    """Validate and save a chapter: it starts on a page its book has and goes last without an order."""
    _raise(rules.chapters_validate(start_pages=[chapter.start_page], page_count=chapter.etextbook.page_count))
    if not chapter.order:
        chapter.order = _next_order(
            ETextbookChapter.objects.filter(etextbook_id=chapter.etextbook_id).exclude(pk=chapter.pk)
        )
    chapter.full_clean()
    chapter.save()
    return chapter


def chapter_create(
    *,
    etextbook: ETextbook,
    title: str,
    start_page: int,
    unit: Unit | None = None,
    order: int | None = None,
) -> ETextbookChapter:
    return chapter_save(
        chapter=ETextbookChapter(
            etextbook=etextbook, title=title, start_page=start_page, unit=unit, order=order or 0
        )
    )


@dataclass(frozen=True)
class ETextbookSpec:
    """A published e-textbook for :func:`etextbook_bulk_create`; ``file`` is a stored, checked PDF."""

    title: str
    publisher_id: int
    subject_id: int
    stage_id: int
    volume: str
    file: str
    page_count: int
    grade_id: int | None = None
    edition_id: int | None = None
    textbook_id: int | None = None
    view_count: int = 0
    chapters: Sequence[tuple[str, int, int | None]] = ()  # title, first page, unit id


@transaction.atomic
def etextbook_bulk_create(
    *, specs: Sequence[ETextbookSpec], published_at: datetime | None = None
) -> list[ETextbook]:
    """Create many published e-textbooks and their chapters in two inserts (the seeder's two thousand)."""
    for spec in specs:
        _raise(
            rules.chapters_validate(
                start_pages=[p for _t, p, _u in spec.chapters], page_count=spec.page_count
            )
        )
    when = published_at or timezone.now()
    page_cache_invalidate()  # a bulk insert sends no signal
    rows = ETextbook.objects.bulk_create(
        ETextbook(
            title=spec.title,
            publisher_id=spec.publisher_id,
            subject_id=spec.subject_id,
            stage_id=spec.stage_id,
            grade_id=spec.grade_id,
            edition_id=spec.edition_id,
            textbook_id=spec.textbook_id,
            volume=spec.volume,
            file=spec.file,
            page_count=spec.page_count,
            view_count=spec.view_count,
            **publication(at=when),
        )
        for spec in specs
    )
    ETextbookChapter.objects.bulk_create(
        ETextbookChapter(etextbook=row, order=order, title=title, start_page=page, unit_id=unit_id)
        for row, spec in zip(rows, specs, strict=True)
        for order, (title, page, unit_id) in enumerate(spec.chapters, start=1)
    )
    return rows


# --- Partner links ------------------------------------------------------------------------------


@transaction.atomic
def partner_link_get_or_create(
    *, kind: str, name: str, url: str = "", phone: str = "", description: str = "", order: int = 0
) -> PartnerLink:
    """A partner site or the help hotline, by name (kept as it is if it exists)."""
    link = PartnerLink.objects.filter(name=name).first()
    if link is None:
        link = PartnerLink(kind=kind, name=name, url=url, phone=phone, description=description, order=order)
        link.full_clean()
        link.save()
    return link


# --- Teachers: homework through the shared question engine (smartedu.quizzes) -------------------

QUIZ_KINDS = {"choice": "single", "true_false": "true_false", "fill_in": "fill_in"}
LESSON_QUIZ_OWNER = "k12.lesson"


def _quiz_question_for(question: Question, existing: Mapping[str, QuizQuestionRow]) -> QuizQuestionRow:
    """The question-bank row mirroring a K-12 exercise (``external_ref`` ``k12.question:<id>``, the mapping
    of docs/classes-and-quizzes.md), made on first use and kept equal to the exercise."""
    ref = f"k12.question:{question.pk}"
    kind = QUIZ_KINDS[question.kind]
    options: list[dict[str, str]] = list(question.options or [])
    row = existing.get(ref)
    if row is None:
        try:
            with transaction.atomic():
                return quiz_services.question_create(
                    platform="k12",
                    external_ref=ref,
                    kind=kind,
                    prompt=question.prompt,
                    options=options,
                    answer=question.answer,
                    explanation=question.explanation,
                )
        except IntegrityError:  # made by a concurrent assignment
            return QuizQuestionRow.objects.get(external_ref=ref)
    current = (row.kind, row.prompt, row.options, row.answer, row.explanation)
    if current != (kind, question.prompt, options, question.answer, question.explanation):
        row = quiz_services.question_update(
            question=row,
            kind=kind,
            prompt=question.prompt,
            options=options,
            answer=question.answer,
            explanation=question.explanation,
        )
    return row


@transaction.atomic
def homework_assign(
    *,
    teacher: User,
    lesson: Lesson,
    class_id: int,
    due_at: datetime,
    question_ids: Sequence[int] | None = None,
    title: str = "",
) -> tuple[Quiz, bool]:
    """Set a lesson's exercises (all, or the chosen ones) as homework for one of the teacher's K-12 classes,
    due at ``due_at``: ``(quiz, created)``. Students answer it once, on the quiz page, until it is due.

    The same assignment again (same lesson, class, questions and due time: a double click) returns the
    homework already set. Another teacher's class is ``Http404``; a non-teacher ``PermissionDenied``.
    """
    access.check_can_teach(teacher)
    klass = access.access_homework_class(teacher, class_id)
    if timezone.is_naive(due_at):
        raise ValidationError({"due_at": [_("Give a time with its time zone.")]})
    if due_at <= timezone.now():
        raise ValidationError({"due_at": [_("The due time must lie in the future.")]})
    exercises = list(Question.objects.filter(hour__lesson=lesson).order_by("hour__order", "order", "pk"))
    if question_ids is not None:
        wanted = set(question_ids)
        foreign = sorted(wanted - {q.pk for q in exercises})
        if foreign:
            raise ValidationError(
                {"questions": [_("Not exercises of this lesson: %(ids)s.") % {"ids": _ids(foreign)}]}
            )
        exercises = [q for q in exercises if q.pk in wanted]
    if not exercises:
        raise ValidationError({"questions": [_("Choose at least one exercise.")]})
    existing_rows = {
        row.external_ref: row
        for row in QuizQuestionRow.objects.filter(
            external_ref__in=[f"k12.question:{q.pk}" for q in exercises]
        )
    }
    rows = [_quiz_question_for(q, existing_rows) for q in exercises]
    owner_ref = f"{LESSON_QUIZ_OWNER}:{lesson.pk}"
    for quiz in Quiz.objects.filter(
        owner_kind=LESSON_QUIZ_OWNER,
        owner_id=lesson.pk,
        klass=klass,
        purpose=Purpose.HOMEWORK,
        closes_at=due_at,
        is_active=True,
    ).prefetch_related("quiz_questions"):
        if [qq.question_id for qq in sorted(quiz.quiz_questions.all(), key=lambda qq: qq.order)] == [
            r.pk for r in rows
        ]:
            return quiz, False
    quiz = quiz_services.quiz_create(
        owner_ref=owner_ref,
        title=title.strip() or _("Homework: %(lesson)s") % {"lesson": lesson.title},
        questions=rows,
        purpose=Purpose.HOMEWORK,
        klass=klass,
        closes_at=due_at,
        created_by=teacher,
    )
    return quiz, True


# --- Teachers: lesson-preparation plans (备课) ----------------------------------------------------


def _plan_fields(*, title: str | None, notes: str | None) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    fields: dict[str, str] = {}
    if title is not None:
        title = title.strip()
        if not title:
            errors["title"] = [_("This field is required.")]
        elif len(title) > 200:
            errors["title"] = [_("At most %(n)d characters.") % {"n": 200}]
        fields["title"] = title
    if notes is not None:
        if len(notes) > 10_000:
            errors["notes"] = [_("At most %(n)d characters.") % {"n": 10_000}]
        fields["notes"] = notes.strip()
    _raise(errors)
    return fields


def _plan_class(teacher: User, class_id: int | None) -> Any:
    return access.access_homework_class(teacher, class_id) if class_id is not None else None


@transaction.atomic
def prep_plan_create(
    *,
    teacher: User,
    title: str,
    class_id: int | None = None,
    period_at: datetime | None = None,
    notes: str = "",
    is_shared: bool = False,
) -> PrepPlan:
    """A new, private (unless ``is_shared``) plan for a class period of one of the teacher's classes."""
    access.check_can_teach(teacher)
    fields = _plan_fields(title=title, notes=notes)
    return PrepPlan.objects.create(
        owner=teacher,
        klass=_plan_class(teacher, class_id),
        period_at=period_at,
        is_shared=is_shared,
        **fields,
    )


@transaction.atomic
def prep_plan_update(
    *,
    teacher: User,
    plan: PrepPlan,
    title: str | None = None,
    notes: str | None = None,
    class_id: int | None = _UNSET_ID,
    period_at: datetime | None = _UNSET_TIME,
    is_shared: bool | None = None,
) -> PrepPlan:
    plan = access.access_plan_for_owner(teacher, plan.pk)
    for name, value in _plan_fields(title=title, notes=notes).items():
        setattr(plan, name, value)
    if class_id is not _UNSET_ID:
        plan.klass = _plan_class(teacher, class_id)
    if period_at is not _UNSET_TIME:
        plan.period_at = period_at
    if is_shared is not None:
        plan.is_shared = is_shared
    plan.save()
    return plan


@transaction.atomic
def prep_plan_delete(*, teacher: User, plan: PrepPlan) -> None:
    access.access_plan_for_owner(teacher, plan.pk).delete()


def _touch(plan: PrepPlan) -> None:
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def prep_item_add(
    *,
    teacher: User,
    plan: PrepPlan,
    hour: LessonHour | None = None,
    resource: Resource | None = None,
    etextbook: ETextbook | None = None,
    first_page: int | None = None,
    last_page: int | None = None,
    note: str = "",
) -> tuple[PrepItem, bool]:
    """Add a lesson hour, a resource or e-textbook pages at the end of the plan: ``(item, created)``.
    Adding the same thing again (a double click) keeps one item."""
    plan = PrepPlan.objects.select_for_update().get(pk=access.access_plan_for_owner(teacher, plan.pk).pk)
    if sum(x is not None for x in (hour, resource, etextbook)) != 1:
        raise ValidationError({"item": [_("Give a lesson hour, a resource or an e-textbook.")]})
    if hour is not None and not LessonHour.objects.visible().filter(pk=hour.pk).exists():
        raise ValidationError({"hour": [_("This lesson hour is not published.")]})
    if resource is not None and not Resource.objects.visible().filter(pk=resource.pk).exists():
        raise ValidationError({"resource": [_("This resource is not published.")]})
    if etextbook is not None:
        if not ETextbook.objects.visible().filter(pk=etextbook.pk).exists():
            raise ValidationError({"etextbook": [_("This e-textbook is not published.")]})
        first_page = first_page or 1
        last_page = last_page or first_page
        limit = etextbook.page_count or 10_000
        if not 1 <= first_page <= last_page <= limit:
            raise ValidationError(
                {"first_page": [_("Pages run from 1 to %(n)d, the first before the last.") % {"n": limit}]}
            )
    else:
        first_page = last_page = None
    if len(note) > 500:
        raise ValidationError({"note": [_("At most %(n)d characters.") % {"n": 500}]})
    same = PrepItem.objects.filter(
        plan=plan,
        hour=hour,
        resource=resource,
        etextbook=etextbook,
        first_page=first_page,
        last_page=last_page,
    ).first()
    if same is not None:
        return same, False
    item = PrepItem.objects.create(
        plan=plan,
        order=_next_order(PrepItem.objects.filter(plan=plan)),
        hour=hour,
        resource=resource,
        etextbook=etextbook,
        first_page=first_page,
        last_page=last_page,
        note=note.strip(),
    )
    _touch(plan)
    return item, True


def _item_of(teacher: User, item_id: int) -> PrepItem:
    item = PrepItem.objects.select_related("plan").filter(pk=item_id).first()
    if item is None:
        raise Http404
    access.access_plan_for_owner(teacher, item.plan_id)
    return item


@transaction.atomic
def prep_item_update(*, teacher: User, item_id: int, note: str) -> PrepItem:
    item = _item_of(teacher, item_id)
    if len(note) > 500:
        raise ValidationError({"note": [_("At most %(n)d characters.") % {"n": 500}]})
    item.note = note.strip()
    item.save(update_fields=["note"])
    _touch(item.plan)
    return item


@transaction.atomic
def prep_item_remove(*, teacher: User, item_id: int) -> None:
    item = _item_of(teacher, item_id)
    item.delete()
    _touch(item.plan)


@transaction.atomic
def prep_item_move(*, teacher: User, item_id: int, offset: int) -> PrepItem:
    """Move an item ``offset`` places up (negative) or down; the plan's items are renumbered 1…n."""
    item = _item_of(teacher, item_id)
    items = list(PrepItem.objects.select_for_update().filter(plan_id=item.plan_id).order_by("order", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for order, it in enumerate(items, start=1):
        it.order = order
    PrepItem.objects.bulk_update(items, ["order"])
    _touch(item.plan)
    return items[target]


@transaction.atomic
def prep_plan_copy(*, teacher: User, plan: PrepPlan) -> PrepPlan:
    """A private copy of a plan the teacher may read (their own, or a colleague's shared one), items and notes
    included, for the teacher's own class period."""
    source = access.access_plan_for_reader(teacher, plan.pk)
    copy = PrepPlan.objects.create(
        owner=teacher,
        title=_("%(title)s (copy)") % {"title": source.title},
        notes=source.notes,
        copied_from=source,
    )
    PrepItem.objects.bulk_create(
        PrepItem(
            plan=copy,
            order=item.order,
            hour_id=item.hour_id,
            resource_id=item.resource_id,
            etextbook_id=item.etextbook_id,
            first_page=item.first_page,
            last_page=item.last_page,
            note=item.note,
        )
        for item in source.items.all()
    )
    return copy
