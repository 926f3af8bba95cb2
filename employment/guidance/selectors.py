"""Reads of career guidance: filtered lists (shared by the pages and the API), details, progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from employment.guidance.models import (
    Article,
    Assessment,
    CareerCase,
    EmploymentSite,
    EncyclopediaEntry,
    KeyProgram,
    LessonCompletion,
    LiveCourse,
    QualityReport,
    Submission,
    TrainingCourse,
    TrainingEnrolment,
)


def _keyword(queryset: QuerySet[Any], q: str, *fields: str) -> QuerySet[Any]:
    q = q.strip()[:50]
    if not q:
        return queryset
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return queryset.filter(condition)


def assessment_list() -> QuerySet[Assessment]:
    return Assessment.objects.annotate(question_count=Count("questions")).order_by("order", "pk")


def assessment_detail(*, pk: int) -> Assessment | None:
    return Assessment.objects.prefetch_related("questions", "dimensions").filter(pk=pk).first()


def my_submissions(*, user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(user_id=user.pk).select_related("assessment")


def shared_with(*, user: Any) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(shares__recipient_id=user.pk)
        .select_related("assessment", "user")
        .order_by("-shares__created_at")
    )


def article_list(*, category: str = "", tag: str = "", q: str = "") -> QuerySet[Article]:
    articles = Article.objects.filter(published_at__lte=timezone.now()).prefetch_related("tags")
    if category:
        articles = articles.filter(category=category)
    if tag:
        articles = articles.filter(tags__name=tag)
    return _keyword(articles, q, "title", "summary")


def case_list(*, destination: str = "", q: str = "") -> QuerySet[CareerCase]:
    cases = CareerCase.objects.filter(published_at__lte=timezone.now())
    if destination:
        cases = cases.filter(destination=destination)
    return _keyword(cases, q, "title", "specialty", "university")


def encyclopedia_list(*, category: str = "", q: str = "") -> QuerySet[EncyclopediaEntry]:
    entries = EncyclopediaEntry.objects.all()
    if category:
        entries = entries.filter(category=category)
    return _keyword(entries, q, "title", "summary", "specialties")


def encyclopedia_categories() -> list[str]:
    return list(EncyclopediaEntry.objects.order_by("category").values_list("category", flat=True).distinct())


def live_list(*, when: str = "", q: str = "") -> QuerySet[LiveCourse]:
    courses = LiveCourse.objects.all()
    now = timezone.now()
    if when == "upcoming":
        courses = courses.filter(starts_at__gt=now).order_by("starts_at", "pk")
    elif when == "replay":
        courses = courses.exclude(replay_url="")
    return _keyword(courses, q, "title", "speaker")


def training_list(*, category: str = "", q: str = "") -> QuerySet[TrainingCourse]:
    courses = TrainingCourse.objects.annotate(lesson_count=Count("lessons"))
    courses = courses.order_by("category", "title", "pk")
    if category:
        courses = courses.filter(category=category)
    return _keyword(courses, q, "title", "provider")


@dataclass(frozen=True)
class TrainingProgress:
    enrolled: bool
    done: set[int]
    total: int

    @property
    def percent(self) -> int:
        return round(100 * len(self.done) / self.total) if self.total else 0


def training_progress(*, user: Any, course: TrainingCourse) -> TrainingProgress:
    total = course.lessons.count()
    enrolment = (
        TrainingEnrolment.objects.filter(course=course, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if enrolment is None:
        return TrainingProgress(enrolled=False, done=set(), total=total)
    done = set(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson__number", flat=True))
    return TrainingProgress(enrolled=True, done=done, total=total)


def program_list(*, kind: str = "") -> QuerySet[KeyProgram]:
    programs = KeyProgram.objects.all()
    return programs.filter(kind=kind) if kind else programs


def report_list(*, q: str = "") -> QuerySet[QualityReport]:
    return _keyword(
        QualityReport.objects.select_related("university", "university__province"), q, "university__name"
    )


def site_list() -> QuerySet[EmploymentSite]:
    return EmploymentSite.objects.select_related("province", "university")
