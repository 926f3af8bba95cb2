"""Every non-trivial read of the K-12 sub-platform (STYLE.md: selectors do reads).

Each selector loads what its page or API needs in a fixed number of queries, whatever the data size:
``select_related`` for what a row points to, ``prefetch_related`` for what points to it.
"""

import functools
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import HttpRequest
from django.utils import timezone

from k12 import access
from k12.models import (
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Favourite,
    Lesson,
    LessonHour,
    LessonVisit,
    PartnerLink,
    PartnerLinkKind,
    PrepItem,
    PrepPlan,
    Question,
    Resource,
    Section,
    Stage,
    Subject,
    Submission,
    SubmissionAnswer,
    Textbook,
    Unit,
    Volume,
)
from k12.models.lessons import LessonQuerySet
from k12.models.publishing import PublishableQuerySet
from k12.models.taxonomy import VOLUME_ORDER
from k12.taxonomy import textbooks_attach_taxonomy
from smartedu.accounts.models import User
from smartedu.classes import access as classes_access
from smartedu.classes.models import Class, Membership
from smartedu.portal.fragments import cached_block
from smartedu.portal.pagecache import generation_current
from smartedu.portal.precompiled import Precompiled
from smartedu.quizzes.models import Attempt, Quiz
from smartedu.quizzes.models import Purpose as QuizPurpose
from smartedu.stats.registry import Location

# --- Taxonomy ------------------------------------------------------------------------------------


def edition_list() -> QuerySet[Edition]:
    return Edition.objects.all()


def edition_count() -> int:
    return Edition.objects.count()


# --- Headline figures (one query each: the home page counts them all on a cold cache) -----------


def resource_count() -> int:
    """Resources in all: published column resources plus the lesson hours of published lessons."""
    column_resources = Resource.objects.visible().order_by().values("pk")
    lesson_hours = LessonHour.objects.visible().order_by().values("pk")
    return column_resources.union(lesson_hours, all=True).count()


def lesson_hour_count() -> int:
    return LessonHour.objects.visible().count()


def etextbook_count() -> int:
    return ETextbook.objects.visible().count()


# --- Sections, columns, resources ---------------------------------------------------------------


@dataclass
class SectionWithColumns:
    section: Section
    columns: list[Column] = field(default_factory=list)


def section_list() -> list[SectionWithColumns]:
    """The six sections with their columns, in one query."""
    columns = Column.objects.select_related("section", "stage").order_by(
        "section__order", "section_id", "order"
    )
    return [
        SectionWithColumns(section=section, columns=list(group))
        for section, group in groupby(columns, key=lambda c: c.section)
    ]


def section_queryset() -> QuerySet[Section]:
    """Sections with their columns (two queries), for the API."""
    return Section.objects.prefetch_related(
        Prefetch("columns", queryset=Column.objects.select_related("stage").order_by("order", "pk"))
    )


def section_get(*, code: str) -> Section | None:
    return section_queryset().filter(code=code).first()


def resource_queryset() -> QuerySet[Resource]:
    """Published resources with what a list or a detail page shows."""
    return (
        Resource.objects.visible()
        .select_related("section", "column", "stage", "subject")
        .prefetch_related("tags")
    )


def resource_page_queryset() -> QuerySet[Resource]:
    """Published resources for their page (one query): the tags are in a cached block of the page, read
    only when the block is rendered."""
    return Resource.objects.visible().select_related("section", "column", "stage", "subject")


def resource_hot_and_newest(*, limit: int = 6) -> tuple[list[Resource], list[Resource]]:
    """The most viewed and the newest published resources, fetched together in one query."""
    published = Resource.objects.visible()
    hot_ids = published.order_by("-view_count", "-pk").values("pk")[:limit]
    new_ids = published.order_by("-published_at", "-pk").values("pk")[:limit]
    rows = list(
        Resource.objects.filter(Q(pk__in=hot_ids) | Q(pk__in=new_ids)).select_related("section", "column")
    )
    hot = sorted(rows, key=lambda r: (-r.view_count, -r.pk))[:limit]
    newest = sorted(
        rows, key=lambda r: (r.published_at.timestamp() if r.published_at else 0, r.pk), reverse=True
    )
    return hot, newest[:limit]


def partner_link_list() -> list[PartnerLink]:
    return list(PartnerLink.objects.filter(is_active=True))


def partner_links_by_kind() -> dict[str, list[PartnerLink]]:
    links = partner_link_list()
    return {kind: [link for link in links if link.kind == kind] for kind in PartnerLinkKind.values}


# --- Textbooks, units, lessons ------------------------------------------------------------------


def textbook_queryset() -> QuerySet[Textbook]:
    return Textbook.objects.visible().select_related("edition", "subject", "stage", "grade", "publisher")


def textbook_tree_queryset() -> QuerySet[Textbook]:
    """Published textbooks with their units and the units' published lessons (three queries)."""
    return textbook_queryset().prefetch_related(
        Prefetch(
            "units",
            queryset=Unit.objects.order_by("order").prefetch_related(
                Prefetch("lessons", queryset=Lesson.objects.visible().order_by("order", "pk"))
            ),
        )
    )


def lesson_queryset() -> QuerySet[Lesson]:
    """Visible lessons with their textbook's taxonomy, for lists."""
    return Lesson.objects.visible().select_related(
        "unit", "textbook__edition", "textbook__subject", "textbook__stage", "textbook__grade"
    )


def _lesson_hours_prefetch() -> Prefetch:
    return Prefetch(
        "hours",
        queryset=LessonHour.objects.order_by("order").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order"))
        ),
    )


def lesson_detail_queryset() -> QuerySet[Lesson]:
    """Visible lessons with their hours and questions and their textbook's e-textbook (three queries)."""
    return (
        lesson_queryset()
        .select_related("textbook__publisher", "textbook__etextbook")
        .prefetch_related(_lesson_hours_prefetch())
    )


def lesson_detail_get(*, pk: int) -> Lesson | None:
    """A visible lesson for its page: the query joins only the unit, textbook and e-textbook; the textbook's
    taxonomy comes from this process's copy (``k12/taxonomy.py``), so PostgreSQL plans a 4-table join,
    not a 9-table one (issue 14: planning took 40 times longer than running)."""
    lesson = (
        Lesson.objects.visible()
        .select_related("unit", "textbook__etextbook")
        .prefetch_related(_lesson_hours_prefetch())
        .filter(pk=pk)
        .first()
    )
    if lesson is not None:
        textbooks_attach_taxonomy([lesson.textbook])
    return lesson


def lesson_page_get(*, pk: int) -> Lesson | None:
    """A visible lesson for its own page: as :func:`lesson_detail_get`, without its hours and questions,
    which the page shows in cached blocks and reads with :func:`lesson_hours` only to render them."""
    lesson = Lesson.objects.visible().select_related("unit", "textbook__etextbook").filter(pk=pk).first()
    if lesson is not None:
        textbooks_attach_taxonomy([lesson.textbook])
    return lesson


def view_count_of(model: type[Model], pk: int) -> int:
    """An object's denormalised view count as the last flush wrote it, read alone (an anonymous visitor's
    page state). Plain SQL: the ORM would compile longer than it runs."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT view_count FROM {table} WHERE id = %s", [pk])  # noqa: S608 (a model's table)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class LastScore:
    pk: int
    score: int


@dataclass(frozen=True)
class PageState:
    """What a lesson's or a resource's page shows beside its cached object: the view count as the last
    flush wrote it, and for a signed-in visitor their favourite and their last exercise score."""

    view_count: int
    is_favourite: bool = False
    last_submission: LastScore | None = None


def _lesson_state(user: int, lesson: int) -> QuerySet[Lesson, Any]:
    latest = Submission.objects.filter(student_id=user, lesson_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return (
        Lesson.objects.filter(pk=lesson)
        .annotate(
            is_favourite=Exists(
                Favourite.objects.filter(user_id=user, lesson_id=OuterRef("pk"), resource=None)
            ),
            last_submission_id=Subquery(latest.values("pk")[:1]),
            last_score=Subquery(latest.values("score")[:1]),
        )
        .order_by()
        .values_list("view_count", "is_favourite", "last_submission_id", "last_score")
    )


def _resource_state(user: int, resource: int) -> QuerySet[Resource, Any]:
    favourite = Favourite.objects.filter(user_id=user, resource_id=OuterRef("pk"), lesson=None)
    return (
        Resource.objects.filter(pk=resource)
        .annotate(is_favourite=Exists(favourite))
        .order_by()
        .values_list("view_count", "is_favourite")
    )


_lesson_state_of = Precompiled(_lesson_state, user=int, lesson=int)
_resource_state_of = Precompiled(_resource_state, user=int, resource=int)


def lesson_page_state(*, lesson_id: int, user: User | None) -> PageState:
    """The lesson page's live part in one statement (one precompiled statement signed in: the view count,
    the favourite and the last score; the view count alone otherwise)."""
    if user is None:
        return PageState(view_count=view_count_of(Lesson, lesson_id))
    rows = _lesson_state_of.rows(user=user.pk, lesson=lesson_id)
    if not rows:
        return PageState(view_count=0)
    view_count, is_favourite, last, score = rows[0]
    return PageState(
        view_count=view_count,
        is_favourite=bool(is_favourite),
        last_submission=LastScore(pk=last, score=score) if last else None,
    )


def resource_page_state(*, resource_id: int, user: User | None) -> PageState:
    """The resource page's live part: the view count, and signed in the favourite, in one statement."""
    if user is None:
        return PageState(view_count=view_count_of(Resource, resource_id))
    rows = _resource_state_of.rows(user=user.pk, resource=resource_id)
    if not rows:
        return PageState(view_count=0)
    view_count, is_favourite = rows[0]
    return PageState(view_count=view_count, is_favourite=bool(is_favourite))


def lesson_hours(*, lesson: Lesson) -> list[LessonHour]:
    """The lesson's hours with their questions, in order (two queries, none if already prefetched)."""
    prefetch_related_objects([lesson], _lesson_hours_prefetch())
    return list(lesson.hours.all())


def lesson_questions(*, lesson: Lesson) -> list[Question]:
    """The lesson's questions in page order (from the prefetched hours, else two queries)."""
    return [question for hour in lesson_hours(lesson=lesson) for question in hour.questions.all()]


@dataclass(frozen=True)
class Neighbours:
    previous: Lesson | None
    next: Lesson | None


def lesson_neighbours(*, lesson: Lesson) -> Neighbours:
    """The visible lessons before and after ``lesson`` in its textbook (two queries)."""
    siblings = Lesson.objects.visible().filter(textbook_id=lesson.textbook_id).only("pk", "title")
    unit_order = lesson.unit.order
    before = siblings.filter(
        Q(unit__order__lt=unit_order) | Q(unit__order=unit_order, order__lt=lesson.order)
    ).order_by("-unit__order", "-order")
    after = siblings.filter(
        Q(unit__order__gt=unit_order) | Q(unit__order=unit_order, order__gt=lesson.order)
    ).order_by("unit__order", "order")
    return Neighbours(previous=before.first(), next=after.first())


def lesson_etextbook(*, lesson: Lesson) -> ETextbook | None:
    """The published e-textbook of the lesson's textbook, if any (loaded by ``lesson_detail_get``)."""
    etextbook = getattr(lesson.textbook, "etextbook", None)
    return etextbook if etextbook is not None and etextbook.is_published else None


# --- The textbook browser -----------------------------------------------------------------------


@dataclass
class BrowserState:
    """Where a visitor is in stage → subject → edition → textbook (grade/volume) → unit → lesson."""

    stages: list[Stage]
    stage: Stage | None = None
    subjects: list[Subject] = field(default_factory=list)
    subject: Subject | None = None
    editions: list[Edition] = field(default_factory=list)
    edition: Edition | None = None
    textbooks: list[Textbook] = field(default_factory=list)
    textbook: Textbook | None = None
    units: list[Unit] = field(default_factory=list)
    unit: Unit | None = None
    lessons: list[Lesson] = field(default_factory=list)
    # The chosen textbook's whole table of contents (unit, its visible lessons), so a lesson is one tap away.
    tree: list[tuple[Unit, list[Lesson]]] = field(default_factory=list)
    # A grade and volume asked for (the one-form choice) that this edition does not publish.
    book_missing: bool = False


def book_key(*, grade: int | None, volume: str) -> str:
    """A textbook's grade and volume as one value of the choice form: ``7-autumn``, ``0-compulsory-1``."""
    return f"{grade or 0}-{volume}"


def textbook_book_key(textbook: Textbook) -> str:
    return book_key(grade=textbook.grade.number if textbook.grade else None, volume=textbook.volume)


def textbook_choice(textbook: Textbook) -> dict[str, str]:
    """The one-form choice leading to ``textbook`` (its stage, subject, edition and grade loaded)."""
    return {
        "stage": textbook.stage.code,
        "subject": textbook.subject.code,
        "edition": textbook.edition.code,
        "book": textbook_book_key(textbook),
    }


def _book_matches(textbook: Textbook, key: str) -> bool:
    return textbook_book_key(textbook) == key


def textbook_browser(
    *,
    stage: str | None = None,
    subject: str | None = None,
    edition: str | None = None,
    textbook: int | None = None,
    unit: int | None = None,
    book: str | None = None,
) -> BrowserState:
    """The choices at each step of the textbook tree; a step's choice only counts if the earlier ones hold.

    ``book`` (a :func:`book_key`) picks the textbook by grade and volume, as the one-form choice on the K-12
    home page does; ``textbook`` (an id) wins when both are given. Once a textbook is chosen its whole tree
    of units and lessons is loaded. One query per step reached (at most seven), whatever the data size.
    """
    state = BrowserState(stages=list(Stage.objects.order_by("order")))
    state.stage = next((s for s in state.stages if s.code == stage), None)
    if state.stage is None:
        return state
    books = Textbook.objects.visible().filter(stage=state.stage)
    state.subjects = list(
        Subject.objects.filter(stagesubject__stage=state.stage, pk__in=books.values("subject_id")).order_by(
            "stagesubject__order"
        )
    )
    state.subject = next((s for s in state.subjects if s.code == subject), None)
    if state.subject is None:
        return state
    books = books.filter(subject=state.subject)
    state.editions = list(Edition.objects.filter(pk__in=books.values("edition_id")).order_by("order"))
    state.edition = next((e for e in state.editions if e.code == edition), None)
    if state.edition is None:
        return state
    state.textbooks = list(
        books.filter(edition=state.edition).select_related("grade").order_by("order", "pk")
    )
    state.textbook = next((t for t in state.textbooks if t.pk == textbook), None)
    if state.textbook is None and book and textbook is None:
        state.textbook = next((t for t in state.textbooks if _book_matches(t, book)), None)
        state.book_missing = state.textbook is None
    if state.textbook is None:
        return state
    state.units = list(state.textbook.units.order_by("order"))
    lessons = list(Lesson.objects.visible().filter(textbook=state.textbook).order_by("order", "pk"))
    by_unit: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        by_unit.setdefault(lesson.unit_id, []).append(lesson)
    state.tree = [(u, by_unit.get(u.pk, [])) for u in state.units]
    state.unit = next((u for u in state.units if u.pk == unit), None)
    if state.unit is not None:
        state.lessons = by_unit.get(state.unit.pk, [])
    return state


@dataclass(frozen=True)
class ChoiceOption:
    value: str
    label: str
    stages: tuple[str, ...]  # the stages it belongs to (the script hides the others' options)


@dataclass(frozen=True)
class TextbookChoices:
    """The options of the one-form textbook choice: stage, subject, edition, grade and volume."""

    stages: list[ChoiceOption]
    subjects: list[ChoiceOption]
    editions: list[ChoiceOption]
    books: list[ChoiceOption]


def textbook_choices() -> TextbookChoices:
    """What the published textbooks offer, for the choice form on the K-12 home page (one query)."""
    rows = (
        Textbook.objects.visible()
        .order_by()
        .values_list(
            "stage__order",
            "stage__code",
            "stage__name",
            "subject_id",
            "subject__code",
            "subject__name",
            "edition__order",
            "edition__code",
            "edition__name",
            "grade__number",
            "grade__name",
            "volume",
        )
        .distinct()
    )
    stages: dict[str, tuple[int, str]] = {}
    options: dict[str, dict[str, tuple[Any, str, list[str]]]] = {"subject": {}, "edition": {}, "book": {}}
    for row in rows:
        stage_order, stage, stage_name, subject_id, subject, subject_name = row[:6]
        edition_order, edition, edition_name, grade, grade_name, volume = row[6:]
        stages[stage] = (stage_order, stage_name)
        label = f"{grade_name}{Volume(volume).label}" if grade else str(Volume(volume).label)
        for kind, value, sort, text in (
            ("subject", subject, subject_id, subject_name),
            ("edition", edition, edition_order, edition_name),
            (
                "book",
                book_key(grade=grade, volume=volume),
                (grade or 100, VOLUME_ORDER.get(volume, 99)),
                label,
            ),
        ):
            entry = options[kind].setdefault(value, (sort, text, []))
            if stage not in entry[2]:
                entry[2].append(stage)

    def ordered(kind: str) -> list[ChoiceOption]:
        found = sorted(options[kind].items(), key=lambda item: item[1][0])
        return [ChoiceOption(value=v, label=text, stages=tuple(st)) for v, (_sort, text, st) in found]

    return TextbookChoices(
        stages=[
            ChoiceOption(value=code, label=name, stages=(code,))
            for code, (_order, name) in sorted(stages.items(), key=lambda item: item[1][0])
        ],
        subjects=ordered("subject"),
        editions=ordered("edition"),
        books=ordered("book"),
    )


# --- Submissions --------------------------------------------------------------------------------


def submission_list(*, student: User, lesson: Lesson | None = None) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(student=student).select_related("lesson")
    if lesson is not None:
        submissions = submissions.filter(lesson=lesson)
    return submissions.prefetch_related(
        Prefetch("answers", queryset=SubmissionAnswer.objects.select_related("question"))
    ).order_by("-created_at", "-pk")


def submission_get(*, student: User, pk: int) -> Submission | None:
    """One of ``student``'s own submissions with its answers and their questions; others' are not found."""
    return (
        Submission.objects.filter(student=student, pk=pk)
        .select_related("lesson__textbook", "lesson__unit")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=SubmissionAnswer.objects.select_related("question__hour").order_by(
                    "question__hour__order", "question__order"
                ),
            )
        )
        .first()
    )


# --- Favourites and recent lessons --------------------------------------------------------------


def _favourites(user: int) -> QuerySet[Favourite]:
    visible = LessonQuerySet.visible_q("lesson__") | PublishableQuerySet.visible_q("resource__")
    return (
        Favourite.objects.filter(user_id=user)
        .filter(visible)
        .select_related("lesson__textbook", "resource__column")
        .order_by("-created_at", "-pk")
    )


_favourites_of = Precompiled(_favourites, user=int)


def favourite_list(*, user: User) -> list[Favourite]:
    """A user's favourites whose lesson or resource is still published (one precompiled statement: the
    ORM took a millisecond to build it)."""
    return _favourites_of.all(user=user.pk)


def _recent_visits(user: int, limit: int) -> QuerySet[LessonVisit]:
    return (
        LessonVisit.objects.filter(LessonQuerySet.visible_q("lesson__"), user_id=user)
        .select_related("lesson__unit", "lesson__textbook")
        .order_by("-last_seen_at")[:limit]
    )


@functools.cache
def _recent_visits_of(limit: int) -> Precompiled[LessonVisit]:
    """The statement for one limit (the pages ask for two), built once per process: a limit is in its text."""
    return Precompiled(functools.partial(_recent_visits, limit=limit), user=int)


def recent_lesson_visits(*, user: User, limit: int = 10) -> list[LessonVisit]:
    """The lessons ``user`` opened last, newest first ("continue where you left off"; one query).

    The query joins the lesson and its textbook only; the textbook's taxonomy comes from this process's copy
    (``k12/taxonomy.py``): joining the five small tables too cost more to compile and plan than to run."""
    visits = _recent_visits_of(limit).all(user=user.pk)
    textbooks_attach_taxonomy([visit.lesson.textbook for visit in visits])
    return visits


def lesson_visits_key(user_id: int) -> str:
    """The cache key of the version of a user's recent visits (a new one each time a visit is recorded)."""
    return f"k12:visits:version:{user_id}"


@dataclass(frozen=True)
class ContinueItem:
    lesson_id: int
    title: str
    textbook_title: str


def continue_where_left_off(
    *, user: User, request: HttpRequest | None = None
) -> tuple[list[ContinueItem], dict[str, str]]:
    """The K-12 home page's "continue where you left off" (three lessons) and the textbook choice preset to
    the last one, for ``user``: read once per version of their visits and content generation, then from the
    cache (``smartedu/portal/fragments.py``). A recorded visit gives the user a new version."""

    def read() -> tuple[list[ContinueItem], dict[str, str]]:
        visits = recent_lesson_visits(user=user, limit=3)
        items = [ContinueItem(v.lesson.pk, v.lesson.title, v.lesson.textbook.title) for v in visits]
        return items, (textbook_choice(visits[0].lesson.textbook) if visits else {})

    try:
        version = generation_current(lesson_visits_key(user.pk), timeout=LESSON_VISITS_VERSION_SECONDS)
    except Exception:  # a cache that does not answer: read them now
        return read()
    if version is None:
        return read()
    return cached_block(name="k12.continue", vary=[user.pk, version], render=read, request=request)


LESSON_VISITS_VERSION_SECONDS = 7 * 86400


# --- E-textbooks --------------------------------------------------------------------------------


def etextbook_queryset() -> QuerySet[ETextbook]:
    return ETextbook.objects.visible().select_related("publisher", "edition", "subject", "stage", "grade")


def etextbook_detail_queryset() -> QuerySet[ETextbook]:
    """Published e-textbooks with their chapters and each chapter's visible lessons (three queries)."""
    return etextbook_queryset().prefetch_related(
        Prefetch(
            "chapters",
            queryset=ETextbookChapter.objects.select_related("unit")
            .order_by("order")
            .prefetch_related(
                Prefetch(
                    "unit__lessons",
                    queryset=Lesson.objects.visible().order_by("order"),
                )
            ),
        )
    )


def etextbook_detail_get(*, pk: int) -> ETextbook | None:
    return etextbook_detail_queryset().filter(pk=pk).first()


# --- Where lessons and e-textbooks sit, for view statistics ------------------------------------------------


def _course_columns_by_stage() -> dict[int, tuple[int, int]]:
    """``{stage id: (section id, column id)}`` of the course-teaching columns (one per stage)."""
    return {
        stage_id: (section_id, column_id)
        for column_id, section_id, stage_id in Column.objects.filter(stage__isnull=False).values_list(
            "pk", "section_id", "stage_id"
        )
    }


def _locations_by_stage(stage_of: dict[int, int]) -> dict[int, Location]:
    columns = _course_columns_by_stage()
    result = {}
    for pk, stage_id in stage_of.items():
        section_id, column_id = columns.get(stage_id, (None, None))
        result[pk] = Location(
            section_ref=f"k12.section:{section_id}" if section_id else "",
            column_ref=f"k12.column:{column_id}" if column_id else "",
        )
    return result


def resource_locations(ids: list[int]) -> dict[int, Location]:
    """Visible resources sit in their section and column (one query per batch); drafts count nothing."""
    return {
        pk: Location(section_ref=f"k12.section:{section_id}", column_ref=f"k12.column:{column_id}")
        for pk, section_id, column_id in Resource.objects.visible()
        .filter(pk__in=ids)
        .values_list("pk", "section_id", "column_id")
    }


def lesson_locations(ids: list[int]) -> dict[int, Location]:
    """Visible lessons sit in the course-teaching column of their textbook's stage (two queries per batch)."""
    return _locations_by_stage(
        dict(Lesson.objects.visible().filter(pk__in=ids).values_list("pk", "textbook__stage_id"))
    )


def etextbook_locations(ids: list[int]) -> dict[int, Location]:
    """Visible e-textbooks sit in the course-teaching column of their stage (two queries per batch)."""
    return _locations_by_stage(
        dict(ETextbook.objects.visible().filter(pk__in=ids).values_list("pk", "stage_id"))
    )


# --- Teachers -----------------------------------------------------------------------------------


def lesson_exercises(*, lesson: Lesson) -> list[Question]:
    """Every exercise of a lesson with its hour, in order (answers and explanations: the teacher view)."""
    return list(
        Question.objects.filter(hour__lesson=lesson).select_related("hour").order_by("hour__order", "order")
    )


def teacher_classes(*, teacher: User) -> list[Class]:
    """The teacher's active K-12 classes, with ``member_count``."""
    return list(classes_access.classes_taught_by(teacher, platform="k12").filter(is_active=True))


def prep_plans_of(*, teacher: User) -> QuerySet[PrepPlan]:
    return PrepPlan.objects.filter(owner=teacher).select_related("klass").annotate(item_count=Count("items"))


def prep_plans_shared_with(*, teacher: User) -> QuerySet[PrepPlan]:
    """Colleagues' shared plans (not the teacher's own), newest first."""
    return (
        access.prep_plans_readable(teacher)
        .exclude(owner=teacher)
        .select_related("owner")
        .annotate(item_count=Count("items"))
    )


def prep_items(*, plan: PrepPlan) -> list[PrepItem]:
    """A plan's items in order, with what each points to (one query)."""
    return list(
        PrepItem.objects.filter(plan=plan)
        .select_related("hour__lesson__textbook", "resource__column", "etextbook")
        .order_by("order", "pk")
    )


def homework_of_teacher(*, teacher: User) -> QuerySet[Quiz]:
    """Homework the teacher set on K-12 lessons, due soonest last, each with ``submitted`` and
    ``class_size`` (one query)."""
    return (
        Quiz.objects.visible()
        .filter(owner_kind="k12.lesson", purpose=QuizPurpose.HOMEWORK, klass__teacher=teacher)
        .select_related("klass")
        .annotate(
            submitted=Count("attempts__student", distinct=True),
            class_size=Subquery(
                Membership.objects.filter(klass_id=OuterRef("klass_id"))
                .order_by()
                .values("klass_id")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
        .order_by("-closes_at", "-pk")
    )


@dataclass
class HomeworkRow:
    quiz: Quiz
    lesson_id: int
    score: int | None
    attempt_id: int | None

    @property
    def overdue(self) -> bool:
        return self.score is None and self.quiz.closes_at is not None and self.quiz.closes_at < timezone.now()


def _homework(student: int) -> QuerySet[Quiz]:
    return (
        Quiz.objects.visible()
        .filter(
            owner_kind="k12.lesson",
            purpose=QuizPurpose.HOMEWORK,
            klass__is_active=True,
            klass__memberships__student_id=student,
        )
        .select_related("klass")
        .order_by("-closes_at", "-pk")[:50]
    )


_homework_of = Precompiled(_homework, student=int)


def homework_of_student(*, student: User) -> list[HomeworkRow]:
    """The homework of the student's K-12 classes with the due date and the student's score (two queries)."""
    quizzes = _homework_of.all(student=student.pk)
    attempts = {
        a.quiz_id: a
        for a in Attempt.objects.filter(student=student, quiz__in=[q.pk for q in quizzes]).order_by(
            "submitted_at"
        )
    }
    return [
        HomeworkRow(
            quiz=q,
            lesson_id=q.owner_id,
            score=attempts[q.pk].score if q.pk in attempts else None,
            attempt_id=attempts[q.pk].pk if q.pk in attempts else None,
        )
        for q in quizzes
    ]


# --- Parents: a child's learning record ---------------------------------------------------------


@dataclass
class ChildRecord:
    child: User
    visits: list[LessonVisit]
    submissions: list[Submission]
    homework: list[HomeworkRow]


def child_record(*, child: User) -> ChildRecord:
    """What a linked parent sees: lessons the child opened, exercise results and homework with scores."""
    return ChildRecord(
        child=child,
        visits=list(recent_lesson_visits(user=child)[:20]),
        submissions=list(submission_list(student=child)[:20]),
        homework=homework_of_student(student=child)[:20],
    )
