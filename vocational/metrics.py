"""The four learning rates of a personalised course, computed from the records and stored (docs/metrics.md).

For a course, a period ``start``–``end`` (dates in Asia/Shanghai, both included) and the students of the
classes the course is published to:

* knowledge mastery rate = mastered (student, knowledge point) pairs / answered pairs, where a pair is
  *answered* when the student answered a question of that point in one of the course's resource quizzes
  in the period, and *mastered* when more than half of the student's latest answers to that point's
  questions are right;
* class interaction rate = students who asked a question, replied to one, or took an in-class test of
  one of the course's classes in the period / students;
* teacher response rate = questions answered by the teacher within 24 h / questions asked in the period whose
  24 h have passed or that were answered;
* online activity rate = students active (studied an item, attempted a course quiz or asked) on at least
  ``ceil(days / 7)`` days of the period / students.

A rate with an empty denominator is ``None`` (shown as "—"), never 0. ``course_metrics_compute`` replaces the
stored rows of the period (course, each class, each student) in one transaction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartedu.classes.models import Membership
from smartedu.quizzes import selectors as quiz_selectors
from smartedu.quizzes.models import Attempt, Purpose, Quiz
from vocational.models import ClassQuestion, ClassReply, Course, CourseMetric, Item, StudyDay
from vocational.study import study_flush

RESPONSE_HOURS = 24
MAX_PERIOD_DAYS = 366
RESOURCE_KIND = "vocational.resource"


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def active_days_needed(start: date, end: date) -> int:
    return max(1, math.ceil(((end - start).days + 1) / 7))


@dataclass
class Rates:
    mastery: float | None = None
    interaction: float | None = None
    response: float | None = None
    activity: float | None = None
    students: int = 0


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class CourseRecords:
    """Everything the rates read for one course and period (a handful of queries)."""

    classes: dict[int, set[int]] = field(default_factory=dict)  # class id -> student ids
    mastery: dict[int, tuple[int, int]] = field(default_factory=dict)  # student -> (mastered, answered)
    interacting: dict[int, set[int]] = field(default_factory=dict)  # class id -> students
    questions: list[tuple[int, int, bool, bool]] = field(
        default_factory=list
    )  # (class, student, counted, in 24h)
    active_days: dict[int, set[date]] = field(default_factory=dict)  # student -> days


def course_quiz_ids(course: Course) -> list[int]:
    resource_ids = set(Item.objects.filter(unit__course=course).values_list("resource_id", flat=True))
    return list(
        Quiz.objects.filter(owner_kind=RESOURCE_KIND, owner_id__in=resource_ids).values_list("pk", flat=True)
    )


def records_read(course: Course, start: date, end: date, *, now: datetime | None = None) -> CourseRecords:
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    rec = CourseRecords()
    for klass_id, student_id in Membership.objects.filter(
        klass__vocational_courses__course=course, klass__is_active=True
    ).values_list("klass_id", "student_id"):
        rec.classes.setdefault(klass_id, set()).add(student_id)
    students = set().union(*rec.classes.values()) if rec.classes else set()
    if not students:
        return rec
    quiz_ids = course_quiz_ids(course)
    pairs: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in quiz_selectors.knowledge_point_mastery(
        student_ids=students, platform="vocational", quiz_ids=quiz_ids, start=lo, end=hi
    ):
        pairs[row.student_id][1] += 1
        pairs[row.student_id][0] += int(row.mostly_correct)
    rec.mastery = {s: (v[0], v[1]) for s, v in pairs.items()}
    class_ids = list(rec.classes)
    interacting: dict[int, set[int]] = defaultdict(set)
    for klass_id, student_id in ClassQuestion.objects.filter(
        course=course, asked_at__gte=lo, asked_at__lt=hi
    ).values_list("klass_id", "student_id"):
        interacting[klass_id].add(student_id)
    for klass_id, student_id in ClassReply.objects.filter(
        question__course=course, by_teacher=False, created_at__gte=lo, created_at__lt=hi
    ).values_list("question__klass_id", "author_id"):
        interacting[klass_id].add(student_id)
    for klass_id, student_id in Attempt.objects.filter(
        klass_id__in=class_ids, purpose=Purpose.IN_CLASS, submitted_at__gte=lo, submitted_at__lt=hi
    ).values_list("klass_id", "student_id"):
        interacting[klass_id].add(student_id)
    rec.interacting = dict(interacting)
    limit = timedelta(hours=RESPONSE_HOURS)
    for klass_id, student_id, asked, replied in ClassQuestion.objects.filter(
        course=course, asked_at__gte=lo, asked_at__lt=hi
    ).values_list("klass_id", "student_id", "asked_at", "first_reply_at"):
        counted = replied is not None or asked + limit <= now
        rec.questions.append(
            (klass_id, student_id, counted, replied is not None and replied - asked <= limit)
        )
    days: dict[int, set[date]] = defaultdict(set)
    for student_id, day in StudyDay.objects.filter(
        course=course, day__gte=start, day__lte=end, seconds__gt=0, student_id__in=students
    ).values_list("student_id", "day"):
        days[student_id].add(day)
    for student_id, at in Attempt.objects.filter(
        quiz_id__in=quiz_ids, student_id__in=students, submitted_at__gte=lo, submitted_at__lt=hi
    ).values_list("student_id", "submitted_at"):
        days[student_id].add(timezone.localdate(at))
    for student_id, at in ClassQuestion.objects.filter(
        course=course, asked_at__gte=lo, asked_at__lt=hi
    ).values_list("student_id", "asked_at"):
        days[student_id].add(timezone.localdate(at))
    rec.active_days = dict(days)
    return rec


def rates_for(rec: CourseRecords, students: set[int], klass_ids: set[int], needed: int) -> Rates:
    mastered = sum(rec.mastery.get(s, (0, 0))[0] for s in students)
    answered = sum(rec.mastery.get(s, (0, 0))[1] for s in students)
    interacting = set().union(*(rec.interacting.get(k, set()) for k in klass_ids)) & students
    questions = [q for q in rec.questions if q[0] in klass_ids and q[1] in students and q[2]]
    active = [s for s in students if len(rec.active_days.get(s, ())) >= needed]
    return Rates(
        mastery=_ratio(mastered, answered),
        interaction=_ratio(len(interacting), len(students)),
        response=_ratio(sum(1 for q in questions if q[3]), len(questions)),
        activity=_ratio(len(active), len(students)),
        students=len(students),
    )


def _check_period(start: date, end: date) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if end < start:
        raise ValidationError({"end": [_("The end comes before the start.")]})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"end": [_("At most %(n)d days.") % {"n": MAX_PERIOD_DAYS}]})


@transaction.atomic
def course_metrics_compute(
    *, course: Course, start: date, end: date, now: datetime | None = None
) -> list[CourseMetric]:
    """Compute and store the rates of ``course`` for the period: the course row first, then one per class and
    per student. Replaces what was stored for the same period."""
    _check_period(start, end)
    study_flush()
    now = now or timezone.now()
    rec = records_read(course, start, end, now=now)
    needed = active_days_needed(start, end)
    everyone = set().union(*rec.classes.values()) if rec.classes else set()
    rows: list[tuple[int | None, int | None, Rates]] = [
        (None, None, rates_for(rec, everyone, set(rec.classes), needed))
    ]
    for klass_id, members in sorted(rec.classes.items()):
        rows.append((klass_id, None, rates_for(rec, members, {klass_id}, needed)))
    for student in sorted(everyone):
        klass_ids = {k for k, m in rec.classes.items() if student in m}
        rows.append((None, student, rates_for(rec, {student}, klass_ids, needed)))
    CourseMetric.objects.filter(course=course, start=start, end=end).delete()
    return CourseMetric.objects.bulk_create(
        CourseMetric(
            course=course,
            klass_id=klass_id,
            student_id=student_id,
            start=start,
            end=end,
            mastery=r.mastery,
            interaction=r.interaction,
            response=r.response,
            activity=r.activity,
            students=r.students,
            computed_at=now,
        )
        for klass_id, student_id, r in rows
    )


def weekly_windows(start: date, end: date, *, limit: int = 8) -> list[tuple[date, date]]:
    """The trend's windows: 7-day periods ending at ``end``, back to ``start`` (at most ``limit``)."""
    windows: list[tuple[date, date]] = []
    stop = end
    while stop >= start and len(windows) < limit:
        windows.append((max(start, stop - timedelta(days=6)), stop))
        stop -= timedelta(days=7)
    return list(reversed(windows))


def course_metrics_refresh(*, course: Course, start: date, end: date) -> dict[str, Any]:
    """The period's rates and its weekly trend, computed and stored (the dashboard's refresh, the task)."""
    rows = course_metrics_compute(course=course, start=start, end=end)
    for lo, hi in weekly_windows(start, end):
        if (lo, hi) != (start, end):
            course_metrics_compute(course=course, start=lo, end=hi)
    return {"rows": rows}
