"""Every write of the higher-education platform (STYLE.md: services do writes).

Keyword-only functions that run in a transaction and raise Django's ``ValidationError`` (field → messages)
or ``PermissionDenied``; side effects (the home page's figures) are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from higher_ed import access, rules, search
from higher_ed.catalogue import catalogue_changed
from higher_ed.models import (
    RUN_STATUS_BITS,
    AnomalyFlag,
    AnomalyKind,
    Course,
    CourseRun,
    CourseTeacher,
    CourseUnit,
    CreditCourseFigure,
    CreditRecognition,
    CreditRecognitionFigure,
    DisciplineCategory,
    Enrollment,
    Platform,
    PlatformSwitch,
    RunStatus,
    SourceClick,
    SpecialtyClass,
    Teacher,
    UnitProgress,
    language_mask,
)
from smartedu.accounts.models import User
from smartedu.institutions.models import Affiliation, Institution
from smartedu.portal.pagecache import page_cache_invalidate

# --- Partner platforms and the ministry's switch -------------------------------------------------------


def _headline_figures_refresh() -> None:
    from smartedu.portal.services import headline_figures_refresh

    headline_figures_refresh()


@transaction.atomic
def platform_switch(*, platform: Platform, enabled: bool, reason: str, by: User) -> Platform:
    """Switch a partner platform on or off, logging who, when and why.

    Writes one platform row and one log row: the courses are hidden by ``Course.objects.visible()``, which
    reads the platform's switch, so none of them is rewritten. A switch to the state the platform is already
    in changes nothing and logs nothing. Only ministry admins switch; a reason is required.
    """
    if not access.platform_switchable(by):
        raise PermissionDenied(_("Only ministry administrators switch partner platforms."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the platform is switched.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    locked = Platform.objects.select_for_update().get(pk=platform.pk)
    if locked.enabled == enabled:
        return locked
    now = timezone.now()
    Platform.objects.filter(pk=locked.pk).update(enabled=enabled, switched_at=now)
    PlatformSwitch.objects.create(
        platform=locked, enabled=enabled, reason=reason, switched_by=by, switched_at=now
    )
    catalogue_changed()
    search.platform_switched(platform=locked)
    # No course row changes, so no content signal clears the anonymous page cache: the switch does.
    page_cache_invalidate()
    locked.enabled, locked.switched_at = enabled, now
    # The home page's figures are cached: recount them as soon as the switch is committed.
    transaction.on_commit(_headline_figures_refresh)
    return locked


# --- Courses -------------------------------------------------------------------------------------------


def _course_errors(
    *,
    platform: Platform,
    category: DisciplineCategory,
    specialty_class: SpecialtyClass | None,
    credit: bool,
    credits: Decimal | None,
    source_url: str,
    languages: Sequence[str],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if specialty_class is not None and specialty_class.category_id != category.pk:
        errors["specialty_class"] = [_("This specialty class belongs to another discipline category.")]
    if credit and (credits is None or credits <= 0):
        errors["credits"] = [_("A credit course needs its credits.")]
    if source_url and not source_url_valid(url=source_url, platform=platform):
        errors["source_url"] = [_("The address must be on the platform's registered host, over https.")]
    if not languages:
        errors["languages"] = [_("Give at least one teaching language.")]
    return errors


def source_url_valid(*, url: str, platform: Platform) -> bool:
    """An https address on exactly the platform's registered host (no user info, no other port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and (parts.hostname or "") == platform.host.lower()
        and port in (None, 443)
        and not parts.username
        and not parts.password
        and "\\" not in url
    )


def course_search_text(*, course: Course, teacher_names: Iterable[str]) -> str:
    return rules.search_text(
        [
            course.title,
            course.university.name,
            *teacher_names,
            course.category.name,
            course.specialty_class.name if course.specialty_class else "",
            course.platform.name,
        ]
    )


@transaction.atomic
def course_create(
    *,
    title: str,
    university: Institution,
    platform: Platform,
    source_id: str,
    category: DisciplineCategory,
    specialty_class: SpecialtyClass | None = None,
    languages: Sequence[str] = ("zh",),
    first_class: bool = False,
    credit: bool = False,
    credits: Decimal | None = None,
    international: bool = False,
    summary: str = "",
    source_url: str = "",
    teachers: Sequence[Teacher] = (),
    units: Sequence[tuple[str, int, int]] = (),
    published_at: datetime | None = None,
) -> Course:
    """Create a course with its teachers (in order) and its units ``(title, video seconds, quizzes)``."""
    errors = _course_errors(
        platform=platform,
        category=category,
        specialty_class=specialty_class,
        credit=credit,
        credits=credits,
        source_url=source_url,
        languages=languages,
    )
    if errors:
        raise ValidationError(errors)
    course = Course(
        title=title.strip(),
        summary=summary,
        university=university,
        platform=platform,
        source_id=source_id,
        source_url=source_url,
        category=category,
        specialty_class=specialty_class,
        languages=language_mask(languages),
        first_class=first_class,
        credit=credit,
        credits=credits if credit else None,
        international=international,
        total_video_seconds=sum(seconds for _title, seconds, _quizzes in units),
        published_at=published_at or timezone.now(),
    )
    course.search_text = course_search_text(course=course, teacher_names=[t.name for t in teachers])
    course.full_clean()
    course.save()
    CourseTeacher.objects.bulk_create(
        CourseTeacher(course=course, teacher=teacher, order=order) for order, teacher in enumerate(teachers)
    )
    CourseUnit.objects.bulk_create(
        CourseUnit(course=course, order=order, title=unit_title, video_seconds=seconds, quiz_count=quizzes)
        for order, (unit_title, seconds, quizzes) in enumerate(units, start=1)
    )
    catalogue_changed()
    search.courses_changed(ids=[course.pk])  # again: its teachers were added after the row was saved
    return course


@transaction.atomic
def course_refresh(*, course: Course) -> Course:
    """Recompute what a course keeps about its teachers, units and runs (after an edit in the admin)."""
    course = Course.objects.select_related("university", "category", "specialty_class", "platform").get(
        pk=course.pk
    )
    names = [ct.teacher.name for ct in CourseTeacher.objects.filter(course=course).select_related("teacher")]
    total = CourseUnit.objects.filter(course=course).aggregate(total=Sum("video_seconds"))["total"] or 0
    Course.objects.filter(pk=course.pk).update(
        search_text=course_search_text(course=course, teacher_names=names), total_video_seconds=total
    )
    for run in CourseRun.objects.filter(course=course):
        term = rules.term_of(run.start)
        status = rules.run_status_on(start=run.start, end=run.end, today=timezone.localdate())
        if (run.term, run.status) != (term, status):
            CourseRun.objects.filter(pk=run.pk).update(term=term, status=status)
    _course_run_statuses_refresh([course.pk])
    catalogue_changed()
    search.courses_changed(ids=[course.pk])
    return course


@transaction.atomic
def courses_list_set(*, ids: Sequence[int], listed: bool) -> int:
    """Take courses out of the catalogue, or put them back (course by course, unlike a platform switch)."""
    changed = Course.objects.filter(pk__in=ids).exclude(listed=listed).update(listed=listed)
    catalogue_changed()
    search.courses_changed(ids=ids)
    transaction.on_commit(_headline_figures_refresh)
    return changed


@transaction.atomic
def teacher_create(
    *, name: str, title: str = "", university: Institution | None = None, bio: str = ""
) -> Teacher:
    teacher = Teacher(name=name.strip(), title=title, university=university, bio=bio)
    teacher.full_clean()
    teacher.save()
    return teacher


def _course_run_statuses_refresh(course_ids: Iterable[int]) -> int:
    """Recompute ``run_statuses`` of these courses from their runs (one read, one update per change)."""
    ids = sorted(set(course_ids))
    masks: dict[int, int] = dict.fromkeys(ids, 0)
    for course_id, status in CourseRun.objects.filter(course_id__in=ids).values_list("course_id", "status"):
        masks[course_id] |= RUN_STATUS_BITS[status]
    changed = 0
    current = dict(Course.objects.filter(pk__in=ids).values_list("pk", "run_statuses"))
    for course_id, mask in masks.items():
        if current.get(course_id) != mask:
            changed += Course.objects.filter(pk=course_id).update(run_statuses=mask)
    return changed


@transaction.atomic
def course_run_create(*, course: Course, start: date, end: date, today: date | None = None) -> CourseRun:
    """Open a run of ``course`` from ``start`` to ``end``; its term and status follow from the dates."""
    if end < start:
        raise ValidationError({"end": [_("A run ends after it starts.")]})
    today = today or timezone.localdate()
    run = CourseRun(
        course=course,
        term=rules.term_of(start),
        start=start,
        end=end,
        status=rules.run_status_on(start=start, end=end, today=today),
    )
    run.full_clean()
    run.save()
    _course_run_statuses_refresh([course.pk])
    catalogue_changed()
    return run


@transaction.atomic
def run_statuses_refresh(*, today: date | None = None) -> int:
    """Move runs whose dates say so to open or archived (nightly); returns how many runs changed.

    Only runs whose status changes are written, and only their courses' ``run_statuses`` are recomputed.
    """
    today = today or timezone.localdate()
    to_open = CourseRun.objects.filter(start__lte=today, end__gte=today).exclude(status=RunStatus.OPEN)
    to_archive = CourseRun.objects.filter(end__lt=today).exclude(status=RunStatus.ARCHIVED)
    to_upcoming = CourseRun.objects.filter(start__gt=today).exclude(status=RunStatus.UPCOMING)
    course_ids: set[int] = set()
    changed = 0
    for runs, status in (
        (to_open, RunStatus.OPEN),
        (to_archive, RunStatus.ARCHIVED),
        (to_upcoming, RunStatus.UPCOMING),
    ):
        ids = list(runs.values_list("pk", "course_id"))
        course_ids.update(course_id for _pk, course_id in ids)
        changed += CourseRun.objects.filter(pk__in=[pk for pk, _course in ids]).update(status=status)
    if _course_run_statuses_refresh(course_ids):
        catalogue_changed()
    return changed


# --- Source-platform clicks ----------------------------------------------------------------------------

SOURCE_CLICK_DEDUPE_SECONDS = 1800


def source_click_record(*, course: Course, client: str, day: date | None = None) -> bool:
    """Count a click through to the course's platform: once per client address and course per half hour.

    The client is the real address (``smartedu.portal.client.client_ip``), hashed for the cache key; reloads
    and scripted repeats from one address count once, so the figure cannot be inflated from one machine.
    """
    digest = hashlib.blake2b(f"{course.pk}:{client}".encode(), digest_size=12).hexdigest()
    if not cache.add(f"higher_ed:click:{digest}", 1, SOURCE_CLICK_DEDUPE_SECONDS):
        return False
    day = day or timezone.localdate()
    with transaction.atomic():
        updated = SourceClick.objects.filter(course=course, day=day).update(clicks=F("clicks") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    SourceClick.objects.create(course=course, day=day, clicks=1)
            except IntegrityError:  # a concurrent first click of the day created the row
                SourceClick.objects.filter(course=course, day=day).update(clicks=F("clicks") + 1)
    return True


# --- Enrolments and progress ---------------------------------------------------------------------------


def enrollment_create(*, user: User, run: CourseRun) -> tuple[Enrollment, bool]:
    """Enrol ``user`` in ``run``; enrolling again gives back the existing enrolment (``created`` False).

    Concurrent double submits create one row: the unique constraint on (user, run) decides, and the loser
    reads the winner's row. Only learners enrol, only in visible runs that are open or upcoming.
    """
    if not access.enrollment_allowed(user):
        raise PermissionDenied(_("Only students, teachers and graduates enrol in courses."))
    existing = Enrollment.objects.filter(user=user, run=run).first()
    if existing is not None:
        return existing, False
    if not CourseRun.objects.visible().filter(pk=run.pk).exists():
        raise ValidationError({"run": [_("This run is not available.")]})
    if run.status == RunStatus.ARCHIVED:
        raise ValidationError({"run": [_("This run has ended; choose an open or upcoming one.")]})
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(user=user, run=run, course_id=run.course_id)
            Course.objects.filter(pk=run.course_id).update(enrollment_count=F("enrollment_count") + 1)
    except IntegrityError:
        return Enrollment.objects.get(user=user, run=run), False
    return enrollment, True


@dataclass(frozen=True)
class ProgressInput:
    unit: CourseUnit
    video_percent: int
    quizzes_done: int = 0
    quiz_score: int | None = None


def _progress_errors(*, enrollment: Enrollment, data: ProgressInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.unit.course_id != enrollment.course_id:
        errors["unit"] = [_("This unit belongs to another course.")]
    if not 0 <= data.video_percent <= 100:
        errors["video_percent"] = [_("Give a share between 0 and 100 per cent.")]
    if not 0 <= data.quizzes_done <= data.unit.quiz_count:
        errors["quizzes_done"] = [_("This unit has %(count)s quizzes.") % {"count": data.unit.quiz_count}]
    if data.quiz_score is not None and not 0 <= data.quiz_score <= 100:
        errors["quiz_score"] = [_("Give a score between 0 and 100.")]
    if enrollment.run.status != RunStatus.OPEN:
        errors["run"] = [_("Progress is recorded while the run is open.")]
    return errors


@transaction.atomic
def progress_record(*, enrollment: Enrollment, data: ProgressInput) -> Enrollment:
    """Record progress in one unit; the enrolment's progress, completion and score follow.

    Progress never goes back (the highest share watched, quizzes done and score are kept). When the last unit
    is done the enrolment is completed, and for a credit course the learner's university (if they have one)
    recognises its credits. The enrolment row is locked, so concurrent reports of one learner serialise.
    """
    errors = _progress_errors(enrollment=enrollment, data=data)
    if errors:
        raise ValidationError(errors)
    locked = Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    row, _created = UnitProgress.objects.get_or_create(enrollment=locked, unit=data.unit)
    row.video_percent = max(row.video_percent, data.video_percent)
    row.quizzes_done = max(row.quizzes_done, data.quizzes_done)
    if data.quiz_score is not None:
        row.quiz_score = max(row.quiz_score or 0, data.quiz_score)
    row.updated_at = timezone.now()
    row.save()

    done = {p.unit_id: p for p in UnitProgress.objects.filter(enrollment=locked)}
    states = [
        rules.UnitState(
            quiz_count=unit.quiz_count,
            video_percent=done[unit.pk].video_percent if unit.pk in done else 0,
            quizzes_done=done[unit.pk].quizzes_done if unit.pk in done else 0,
            quiz_score=done[unit.pk].quiz_score if unit.pk in done else None,
        )
        for unit in CourseUnit.objects.filter(course_id=locked.course_id)
    ]
    outcome = rules.course_outcome(states)
    locked.progress = outcome.progress
    fields = ["progress"]
    if outcome.completed and locked.completed_at is None:
        locked.completed_at = timezone.now()
        locked.score = outcome.score
        fields += ["completed_at", "score"]
        _credit_recognise(enrollment=locked)
    locked.save(update_fields=fields)
    return locked


def _credit_recognise(*, enrollment: Enrollment) -> CreditRecognition | None:
    course = enrollment.course
    if not course.credit or course.credits is None:
        return None
    home = (
        Affiliation.objects.filter(user_id=enrollment.user_id)
        .values_list("institution_id", flat=True)
        .first()
    )
    if home is None:
        return None
    recognition, _created = CreditRecognition.objects.get_or_create(
        enrollment=enrollment,
        defaults={
            "offering_university_id": course.university_id,
            "recognising_university_id": home,
            "credits": course.credits,
            "recognised_at": enrollment.completed_at or timezone.now(),
        },
    )
    return recognition


# --- Hot scores (nightly) -----------------------------------------------------------------------------

HOT_WINDOW_DAYS = 30
ENROLMENT_WEIGHT = 20  # an enrolment weighs as much as twenty views


def hot_scores_refresh(*, today: date | None = None, batch_size: int = 1000) -> int:
    """``hot_score`` = views of the last 30 days + 20 × enrolments of the last 30 days, for every course.

    Reads the view rollups of ``smartedu.stats`` and the enrolments in one grouped query each, and writes only
    the courses whose score changed, in batches. Returns how many changed.
    """
    from smartedu.stats.models import ObjectDailyView

    today = today or timezone.localdate()
    since = today - timedelta(days=HOT_WINDOW_DAYS - 1)
    since_at = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    scores: dict[int, int] = defaultdict(int)
    for object_id, views in (
        ObjectDailyView.objects.filter(kind="higher_ed.course", day__gte=since, day__lte=today)
        .values_list("object_id")
        .annotate(total=Sum("views"))
        .order_by()
    ):
        scores[int(object_id)] += int(views)
    for course_id, enrolments in (
        Enrollment.objects.filter(enrolled_at__gte=since_at)
        .values_list("course_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        scores[course_id] += ENROLMENT_WEIGHT * enrolments
    changed = [
        Course(pk=pk, hot_score=scores.get(pk, 0))
        for pk, current in Course.objects.values_list("pk", "hot_score").iterator(chunk_size=5000)
        if current != scores.get(pk, 0)
    ]
    for start in range(0, len(changed), batch_size):
        with transaction.atomic():
            Course.objects.bulk_update(changed[start : start + batch_size], ["hot_score"])
    if changed:
        with transaction.atomic():
            catalogue_changed()  # the hot order of the catalogue index follows
    return len(changed)


# --- The credit-course monitoring centre (a Celery task recomputes it) --------------------------------

MANY_COMPLETIONS_PER_DAY = 5


@dataclass(frozen=True)
class MonitoringResult:
    figures: int
    recognitions: int
    anomalies: int


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _anomalies_detect(*, now: datetime) -> list[AnomalyFlag]:
    """Credit-course completions faster than the course's video time, and accounts completing many a day."""
    completed = list(
        Enrollment.objects.filter(completed_at__isnull=False, course__credit=True)
        .values_list(
            "pk",
            "user_id",
            "enrolled_at",
            "completed_at",
            "run__term",
            "course__platform_id",
            "course__university_id",
            "course__total_video_seconds",
        )
        .order_by()
    )
    flags: list[AnomalyFlag] = []
    per_user_day: dict[tuple[int, date], list[tuple]] = defaultdict(list)
    for row in completed:
        pk, user_id, enrolled_at, completed_at, term, platform_id, university_id, video_seconds = row
        assert completed_at is not None  # filtered above
        day = _local_day(completed_at)
        per_user_day[(user_id, day)].append(row)
        taken = (completed_at - enrolled_at).total_seconds()
        if video_seconds and taken < video_seconds:
            flags.append(
                AnomalyFlag(
                    kind=AnomalyKind.FAST_COMPLETION,
                    enrollment_id=pk,
                    term=term,
                    platform_id=platform_id,
                    university_id=university_id,
                    day=day,
                    detail=int(taken // 60),
                    detected_at=now,
                )
            )
    for (_user_id, day), rows in per_user_day.items():
        if len(rows) < MANY_COMPLETIONS_PER_DAY:
            continue
        for pk, _user, _enrolled, _completed, term, platform_id, university_id, _video in rows:
            flags.append(
                AnomalyFlag(
                    kind=AnomalyKind.MANY_IN_A_DAY,
                    enrollment_id=pk,
                    term=term,
                    platform_id=platform_id,
                    university_id=university_id,
                    day=day,
                    detail=len(rows),
                    detected_at=now,
                )
            )
    return flags


@transaction.atomic
def monitoring_refresh(*, now: datetime | None = None) -> MonitoringResult:
    """Recompute the credit-course figures, the recognitions between universities and the anomaly flags.

    Recompute-and-replace in one transaction: readers see the old tables until the new ones are committed,
    and a run repeated after a crash gives the same tables. The figures cover every platform under
    management, switched on or off, because this is where the ministry decides what to switch.
    """
    now = now or timezone.now()
    flags = _anomalies_detect(now=now)
    anomalies: dict[tuple[str, int, int], int] = defaultdict(int)
    for flag in flags:
        anomalies[(flag.term, flag.platform_id, flag.university_id)] += 1

    credit_enrollments = Enrollment.objects.filter(course__credit=True)
    keys = ("run__term", "course__platform_id", "course__university_id")
    figures: dict[tuple[str, int, int], CreditCourseFigure] = {}
    for (
        term,
        platform_id,
        university_id,
        enrolments,
        completions,
        score_total,
        scored,
        courses,
        recognised,
    ) in (
        credit_enrollments.values_list(*keys)
        .annotate(
            enrolments=Count("pk"),
            completions=Count("pk", filter=Q(completed_at__isnull=False)),
            score_total=Sum("score", filter=Q(completed_at__isnull=False)),
            scored=Count("pk", filter=Q(completed_at__isnull=False, score__isnull=False)),
            courses=Count("course_id", distinct=True),
            recognised=Count("recognition"),
        )
        .order_by()
    ):
        figures[(term, platform_id, university_id)] = CreditCourseFigure(
            term=term,
            platform_id=platform_id,
            university_id=university_id,
            credit_courses=courses,
            enrollments=enrolments,
            completions=completions,
            score_total=score_total or 0,
            scored=scored,
            recognitions=recognised,
            anomalies=anomalies.get((term, platform_id, university_id), 0),
            computed_at=now,
        )
    # Credit courses with a run in the term but no enrolment yet still count as offered.
    for term, platform_id, university_id, courses in (
        CourseRun.objects.filter(course__credit=True)
        .values_list("term", "course__platform_id", "course__university_id")
        .annotate(courses=Count("course_id", distinct=True))
        .order_by()
    ):
        key = (term, platform_id, university_id)
        if key in figures:
            figures[key].credit_courses = courses
        else:
            figures[key] = CreditCourseFigure(
                term=term,
                platform_id=platform_id,
                university_id=university_id,
                credit_courses=courses,
                computed_at=now,
            )

    recognitions = [
        CreditRecognitionFigure(
            term=term,
            platform_id=platform_id,
            offering_university_id=offering,
            recognising_university_id=recognising,
            recognitions=count,
            credits=credits or Decimal("0"),
            computed_at=now,
        )
        for term, platform_id, offering, recognising, count, credits in (
            CreditRecognition.objects.exclude(offering_university=F("recognising_university"))
            .values_list(
                "enrollment__run__term",
                "enrollment__course__platform_id",
                "offering_university_id",
                "recognising_university_id",
            )
            .annotate(count=Count("pk"), credits=Sum("credits"))
            .order_by()
        )
    ]

    CreditCourseFigure.objects.all().delete()
    CreditRecognitionFigure.objects.all().delete()
    AnomalyFlag.objects.all().delete()
    CreditCourseFigure.objects.bulk_create(figures.values(), batch_size=2000)
    CreditRecognitionFigure.objects.bulk_create(recognitions, batch_size=2000)
    AnomalyFlag.objects.bulk_create(flags, batch_size=2000)
    return MonitoringResult(figures=len(figures), recognitions=len(recognitions), anomalies=len(flags))
