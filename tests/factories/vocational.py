"""Vocational factories, built through ``vocational.services`` (so every row obeys the services' rules)."""

from __future__ import annotations

import itertools
from typing import Any

from smartedu.accounts.models import Province, Role
from smartedu.classes import services as class_services
from tests.factories import UserFactory
from vocational import services
from vocational.models import Course, CourseKind, Library, Resource, Specialty

_specialties = itertools.count()
QUESTIONS = [
    {
        "kind": "single",
        "prompt": "Python 源程序文件的扩展名是？",
        "options": [{"key": "A", "text": "py"}, {"key": "B", "text": "exe"}],
        "answer": "A",
        "explanation": "Python 源文件以 .py 结尾。",
        "knowledge_points": ["开发环境"],
    },
    {
        "kind": "true_false",
        "prompt": "Python 用缩进表示代码块。",
        "options": [],
        "answer": "true",
        "explanation": "缩进是语法的一部分。",
        "knowledge_points": ["语法"],
    },
]


def teacher(**kwargs: Any) -> Any:
    return UserFactory(role=Role.TEACHER, institution=kwargs.pop("institution", "深圳职业技术大学"), **kwargs)


def student(**kwargs: Any) -> Any:
    return UserFactory(role=Role.STUDENT, **kwargs)


def admin(province: str | None = None, **kwargs: Any) -> Any:
    prov = Province.objects.get(code=province) if province else None
    return UserFactory(role=Role.ADMIN, province=prov, **kwargs)


def library(*, specialty_code: str | None = None) -> Library:
    if specialty_code is None:
        taken = Library.objects.values_list("specialty_id", flat=True)
        specialty = Specialty.objects.exclude(pk__in=taken).order_by("code").first()
    else:
        specialty = Specialty.objects.get(code=specialty_code)
    assert specialty is not None
    return services.library_create(
        specialty=specialty,
        title=f"{specialty.name}专业国家级教学资源库",
        partners=[("college", "深圳职业技术大学", True), ("enterprise", "华为技术有限公司", False)],
    )


def resource(
    lib: Library, title: str = "Python开发环境搭建", *, exercises: bool = True, kind: str = "video"
) -> Resource:
    res = services.resource_create(kind=kind, title=title, library=lib, body="安装解释器。")
    if exercises:
        services.resource_exercises_add(resource=res, questions=QUESTIONS)
    return res


def standard_course(
    *, units: int = 2, items: int = 2, lib: Library | None = None, kind: str = CourseKind.STANDARD
) -> Course:
    """A library course of ``units`` × ``items`` resources (each with exercises), built as a baseline."""
    lib = lib or library()
    course = services.course_create(kind=kind, title="Python程序设计", specialty=lib.specialty, library=lib)
    for u in range(units):
        unit = services.unit_create(user=None, course=course, title=f"第{u + 1}单元")
        for i in range(items):
            services.item_add(user=None, unit=unit, resource=resource(lib, f"资源{u + 1}-{i + 1}"))
    course.changes.all().delete()
    Course.objects.filter(pk=course.pk).update(change_seq=0)
    course.refresh_from_db()
    return course


def published_copy(
    *, source: Course | None = None, owner: Any = None, students: int = 1
) -> tuple[Course, Any, list[Any]]:
    """A teacher's copy of a standard course published to a class that ``students`` students joined."""
    source = source or standard_course()
    owner = owner or teacher()
    copy, _created = services.course_fork(user=owner, source=source)
    klass = class_services.class_create(teacher=owner, name="软件技术2401班", platform="vocational")
    services.course_publish(user=owner, course=copy, klass=klass)
    members = [student() for _ in range(students)]
    for user in members:
        class_services.class_join(user=user, code=klass.code)
    return copy, klass, members
