"""Higher-education test data, built through the services (so the catalogue token follows every write)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from higher_ed import services
from higher_ed.models import (
    Course,
    CourseRun,
    DisciplineCategory,
    Platform,
    RunStatus,
    SpecialtyClass,
    Teacher,
)
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.models import Institution
from smartedu.institutions.services import affiliation_set
from tests.factories import UserFactory

_numbers = itertools.count(1)


def platform(code: str = "icourse163") -> Platform:
    """One of the nine partner platforms loaded by migration."""
    return Platform.objects.get(code=code)


def university(name: str = "北京大学") -> Institution:
    """One of the 66 reference institutions."""
    return Institution.objects.get(name=name)


def specialty(code: str = "0809") -> SpecialtyClass:
    return SpecialtyClass.objects.select_related("category").get(code=code)


def teacher(name: str = "李明", *, university_name: str | None = "北京大学") -> Teacher:
    return services.teacher_create(
        name=name, title="教授", university=university(university_name) if university_name else None
    )


def course(
    title: str = "数据结构",
    *,
    university_name: str = "北京大学",
    platform_code: str = "icourse163",
    class_code: str | None = "0809",
    category_code: str | None = None,
    languages: tuple[str, ...] = ("zh",),
    first_class: bool = False,
    credit: bool = False,
    credits: Decimal | None = None,
    international: bool = False,
    teachers: tuple[Teacher, ...] = (),
    units: tuple[tuple[str, int, int], ...] = (("第1讲 绪论", 1800, 1), ("第2讲 线性表", 2400, 2)),
    runs: tuple[str, ...] = ("open",),
    source: bool = True,
) -> Course:
    """A course through ``course_create``, with runs in the given statuses (open, upcoming, archived)."""
    n = next(_numbers)
    the_platform = platform(platform_code)
    specialty_class = specialty(class_code) if class_code else None
    category = (
        specialty_class.category
        if specialty_class
        else DisciplineCategory.objects.get(code=category_code or "14")
    )
    created = services.course_create(
        title=title,
        university=university(university_name),
        platform=the_platform,
        source_id=f"T{n:06d}",
        source_url=f"https://{the_platform.host}/course/T{n:06d}" if source else "",
        category=category,
        specialty_class=specialty_class,
        languages=languages,
        first_class=first_class,
        credit=credit,
        credits=credits if credits is not None else (Decimal("2.0") if credit else None),
        international=international,
        teachers=teachers,
        units=units,
        summary=f"{title}的课程简介。",
    )
    for status in runs:
        run_for(created, status)
    return created


def run_for(course: Course, status: str = RunStatus.OPEN) -> CourseRun:
    today = timezone.localdate()
    existing = course.runs.count()
    if status == RunStatus.OPEN:
        start, end = today - timedelta(days=10 + existing), today + timedelta(days=60)
    elif status == RunStatus.UPCOMING:
        start = today + timedelta(days=30 + existing)
        end = start + timedelta(days=90)
    else:
        start = today - timedelta(days=200 + existing)
        end = start + timedelta(days=90)
    return services.course_run_create(course=course, start=start, end=end, today=today)


def learner(role: str = Role.STUDENT, *, home: str | None = None, **kwargs: object) -> User:
    user = UserFactory(role=role, **kwargs)
    if home:
        affiliation_set(user=user, institution=university(home))
    return user


def officer(home: str = "中山大学", *, approved: bool = True) -> User:
    user = UserFactory(role=Role.OFFICER, province=Province.objects.get(code="44"), approved=approved)
    affiliation_set(user=user, institution=university(home))
    return user


def ministry_admin() -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True)


def provincial_admin(code: str = "11") -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code=code))
