"""Demo data of the vocational platform (``manage.py seed_demo``), idempotent; content in this folder's JSON.

* ``small``: six specialty libraries (real 2021 codes) with their co-building colleges and enterprises,
  standard and demonstration courses whose every resource carries exercises, quality online courses and
  video open classes for every category; the demo ``teacher``'s personalised copy of «Python程序设计»
  published to a class that ``student`` and six classmates joined, with study days, quiz attempts, an
  in-class test, Q&A (one answered within the hour, one still waiting), upstream changes waiting for the
  teacher, the stored rates of the last seven days and the resource quality scores.
* ``seed``: also 178,000 teacher-built (personalised) courses over the 19 categories, in bulk.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartedu.accounts.models import Role, User
from smartedu.classes import services as class_services
from smartedu.classes.models import Class
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Purpose, Quiz
from vocational import metrics, services, study
from vocational.models import (
    Course,
    CourseKind,
    Item,
    Library,
    PartnerKind,
    Specialty,
    SpecialtyCategory,
)

Progress = Callable[..., Iterable[Any]]
HERE = Path(__file__).resolve().parent
SEED_COURSES = 178_000
SEED_TEACHER_PREFIX = "voc_teacher_"
SEED_TEACHERS = 2_000
CHUNK = 5_000


def _load(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _options(texts: list[str]) -> list[dict[str, str]]:
    return [{"key": "ABCDEFGH"[n], "text": t} for n, t in enumerate(texts)]


def _questions(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "prompt": prompt,
            "options": _options(options),
            "answer": answer,
            "explanation": why,
            "knowledge_points": spec.get("points", []),
        }
        for kind, prompt, options, answer, why in spec.get("q", [])
    ]


def _resource(library: Library, spec: dict[str, Any], *, extension: bool = False) -> Any:
    resource = services.resource_create(
        kind=spec["kind"],
        title=spec["title"],
        library=library,
        body=spec.get("body", ""),
        url=spec.get("url", ""),
        duration_seconds=600 if spec["kind"] == "video" else 0,
        is_extension=extension,
    )
    if spec.get("q"):
        services.resource_exercises_add(resource=resource, questions=_questions(spec))
    return resource


@transaction.atomic
def _library(spec: dict[str, Any], partners: dict[str, list[str]], rng: random.Random) -> None:
    specialty = Specialty.objects.get(code=spec["specialty"])
    if Library.objects.filter(specialty=specialty).exists():
        return
    colleges = rng.sample(partners["colleges"], rng.randint(15, 20))
    enterprises = rng.sample(partners["enterprises"], rng.randint(14, 18))
    library = services.library_create(
        specialty=specialty,
        title=spec["title"],
        summary=spec["summary"],
        partners=[(PartnerKind.COLLEGE, name, n == 0) for n, name in enumerate(colleges)]
        + [(PartnerKind.ENTERPRISE, name, False) for name in enterprises],
    )
    for course_spec in spec["courses"]:
        course = services.course_create(
            kind=course_spec["kind"],
            title=course_spec["title"],
            specialty=specialty,
            library=library,
            description=course_spec["description"],
            institution=course_spec["institution"],
        )
        for unit_spec in course_spec["units"]:
            unit = services.unit_create(user=None, course=course, title=unit_spec["title"])
            for item_spec in unit_spec["items"]:
                services.item_add(user=None, unit=unit, resource=_resource(library, item_spec))
        # The course as built is the baseline, not a list of changes for future copies.
        course.changes.all().delete()
        Course.objects.filter(pk=course.pk).update(change_seq=0)
    for ext in spec.get("extensions", []):
        _resource(library, ext, extension=True)


def _catalogue_courses(names: dict[str, Any], rng: random.Random) -> None:
    """A quality online course and a video open class for every category (on its first specialty)."""
    if Course.objects.filter(kind__in=[CourseKind.QUALITY, CourseKind.OPEN]).exists():
        return
    for category in SpecialtyCategory.objects.prefetch_related("classes__specialties"):
        specialty = next((s for c in category.classes.all() for s in c.specialties.all()), None)
        if specialty is None:
            continue
        for template in names["quality"]:
            services.course_create(
                kind=CourseKind.QUALITY,
                title=template.format(specialty=specialty.name),
                specialty=specialty,
                institution=rng.choice(_load("partners.json")["colleges"]),
            )
        for template in names["open"]:
            services.course_create(
                kind=CourseKind.OPEN,
                title=template.format(specialty=specialty.name),
                specialty=specialty,
                award=rng.choice(names["open_awards"]),
            )


def _student(username: str, name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        from smartedu.accounts import services as account_services

        user = account_services.user_create(
            username=username,
            email=f"{username}@demo.smartedu.local",
            password=None,
            role=Role.STUDENT,
            first_name=name,
            institution="深圳职业技术大学",
        )
    return user


@transaction.atomic
def _demo_course(names: dict[str, Any]) -> None:
    teacher = User.objects.filter(username="teacher").first()
    student = User.objects.filter(username="student").first()
    source = Course.objects.filter(kind=CourseKind.STANDARD, title="Python程序设计").first()
    if teacher is None or student is None or source is None:
        return
    course, created = services.course_fork(user=teacher, source=source)
    if not created:
        return
    services.course_update(
        user=teacher,
        course=course,
        title=names["personal_title"],
        description="在标准课基础上增加了课堂练习与本班的项目要求。",
    )
    units = list(course.units.order_by("order"))
    services.item_update(
        user=teacher, item=units[1].items.order_by("order")[0], note="课前先看视频，课上做条件语句练习。"
    )
    services.item_update(user=teacher, item=units[1].items.order_by("order").reverse()[0], hidden=True)
    klass = Class.objects.filter(
        teacher=teacher, platform="vocational", name=names["class_name"]
    ).first() or class_services.class_create(
        teacher=teacher, name=names["class_name"], platform="vocational", label="软件技术"
    )
    services.course_publish(user=teacher, course=course, klass=klass)
    classmates = [student] + [
        _student(f"voc_student_{n + 1}", name) for n, name in enumerate(names["students"])
    ]
    for user in classmates:
        class_services.class_join(user=user, code=klass.code)

    # Records of the last week: study, practice (some wrong), an in-class test, Q&A.
    now = timezone.now()
    today = timezone.localdate()
    items = list(
        Item.objects.filter(unit__course=course, hidden=False)
        .select_related("unit", "resource")
        .order_by("unit__order", "order")
    )
    rng = random.Random("vocational-demo")
    quizzes = {
        q.owner_id: q
        for q in Quiz.objects.filter(
            owner_kind=services.RESOURCE_KIND,
            owner_id__in=[i.resource_id for i in items],
            purpose=Purpose.PRACTICE,
        )
    }
    for n, user in enumerate(classmates):
        active_days = 5 - (n % 4)
        for d in range(active_days):
            item = items[(n + d) % len(items)]
            study.study_day_add(
                student_id=user.pk, item=item, day=today - timedelta(days=d), seconds=rng.randint(4, 30) * 60
            )
        for k, item in enumerate(items[: 3 + n % 4]):
            quiz = quizzes.get(item.resource_id)
            if quiz is None:
                continue
            answers = {}
            for qq in quiz.quiz_questions.select_related("question"):
                q = qq.question
                right = rng.random() < 0.55 + 0.05 * (n % 4)
                answers[q.pk] = q.answer if right else _wrong(q)
            quiz_services.attempt_submit(
                student=user, quiz=quiz, answers=answers, now=now - timedelta(days=k % 5, hours=n)
            )
    test_resource = items[0].resource
    test = services.class_test_create(
        user=teacher,
        resource=test_resource,
        klass=klass,
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(days=2) + timedelta(hours=1),
    )
    for user in classmates[:4]:
        answers = {
            qq.question_id: qq.question.answer for qq in test.quiz_questions.select_related("question")
        }
        quiz_services.attempt_submit(
            student=user, quiz=test, answers=answers, now=now - timedelta(days=2) + timedelta(minutes=20)
        )
    asked, _created = services.question_ask(
        user=student, course=course, body=names["question"], item=items[3], now=now - timedelta(days=3)
    )
    services.question_reply(
        user=teacher, question=asked, body=names["reply"], now=now - timedelta(days=3) + timedelta(hours=2)
    )
    services.question_ask(
        user=classmates[2], course=course, body=names["late_question"], now=now - timedelta(days=2)
    )

    # The standard course moves on after the copy: three changes wait for the teacher.
    upstream = names["upstream"]
    source_units = list(source.units.order_by("order"))
    add = upstream["add"]
    services.item_add(
        user=None,
        unit=source_units[add["unit"]],
        resource=_resource(
            source_units[0].course.library or Library.objects.get(specialty=source.specialty), add
        ),
    )
    edit = upstream["edit"]
    services.item_update(
        user=None, item=source_units[edit["unit"]].items.order_by("order")[edit["item"]], title=edit["title"]
    )
    remove = upstream["remove"]
    services.item_delete(user=None, item=source_units[remove["unit"]].items.order_by("order")[remove["item"]])

    metrics.course_metrics_refresh(course=course, start=today - timedelta(days=6), end=today)


def _wrong(question: Any) -> str:
    if question.kind == "true_false":
        return "false" if question.answer == "true" else "true"
    if question.kind in ("single", "multiple"):
        keys = [o["key"] for o in question.options]
        return next((k for k in keys if k != question.answer), keys[0])
    return "不会"


def _bulk_personal_courses(progress: Progress) -> None:
    """``--scale seed``: 178,000 teacher-built courses over every category, in bulk (no per-row services:
    the rows are plain copies' headers of the libraries' courses, each owned by a seeded teacher)."""
    existing = Course.objects.filter(
        kind=CourseKind.PERSONAL, owner__username__startswith=SEED_TEACHER_PREFIX
    ).count()
    if existing >= SEED_COURSES:
        return
    have = set(
        User.objects.filter(username__startswith=SEED_TEACHER_PREFIX).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(
                username=f"{SEED_TEACHER_PREFIX}{n:05d}",
                role=Role.TEACHER,
                password="!",
                first_name=f"教师{n:05d}",
                institution="",
            )
            for n in range(SEED_TEACHERS)
            if f"{SEED_TEACHER_PREFIX}{n:05d}" not in have
        ],
        batch_size=CHUNK,
    )
    teachers = list(
        User.objects.filter(username__startswith=SEED_TEACHER_PREFIX)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    specialties = list(Specialty.objects.select_related("specialty_class__category").order_by("code"))
    colleges = _load("partners.json")["colleges"]
    now = timezone.now()
    for start in progress(
        range(existing, SEED_COURSES, CHUNK),
        desc="vocational courses",
        total=(SEED_COURSES - existing + CHUNK - 1) // CHUNK,
    ):
        rows = []
        for n in range(start, min(start + CHUNK, SEED_COURSES)):
            specialty = specialties[n % len(specialties)]
            rows.append(
                Course(
                    kind=CourseKind.PERSONAL,
                    title=f"{specialty.name}（个性化课程 {n + 1:06d}）",
                    specialty=specialty,
                    owner_id=teachers[n % len(teachers)],
                    institution=colleges[n % len(colleges)],
                    is_published=n % 3 == 0,
                    created_at=now,
                    updated_at=now,
                )
            )
        Course.objects.bulk_create(rows, batch_size=CHUNK)


def _centres() -> None:
    """Textbooks (planning, selection and review status; evaluations), training courses with the demo
    teacher's enrolments, and the demo student's simulation practice."""
    from vocational import centres
    from vocational.models import Resource, ResourceKind, Textbook, TrainingCourse

    data = _load("centres.json")
    if Textbook.objects.exists():
        return
    for code, title, isbn9, publisher, editors, year, plan, batch, selection, review in data["textbooks"]:
        number = f"{isbn9}{len(title) % 10}{year % 100:02d}"[:12]
        centres.textbook_create(
            specialty=Specialty.objects.get(code=code),
            title=title,
            isbn=number + centres.isbn13_check_digit(number),
            publisher=publisher,
            editors=editors,
            edition_year=year,
            plan_status=plan,
            plan_batch=batch,
            selection_status=selection,
            review_status=review,
        )
    first = Textbook.objects.visible().order_by("pk").first()
    for username, stars, comment in data["evaluations"]:
        user = User.objects.filter(username=username).first()
        if user is not None and first is not None:
            centres.textbook_evaluate(user=user, textbook=first, stars=stars, comment=comment)
    courses = [
        TrainingCourse.objects.create(title=title, provider=provider, summary=summary, hours=hours)
        for title, provider, summary, hours in data["training"]
    ]
    teacher = User.objects.filter(username="teacher").first()
    if teacher is not None:
        centres.training_enroll(user=teacher, course=courses[0])
        centres.training_complete(user=teacher, course=courses[0])
        centres.training_enroll(user=teacher, course=courses[2])
    student = User.objects.filter(username="student").first()
    simulation = Resource.objects.visible().filter(kind=ResourceKind.SIMULATION).order_by("pk").first()
    if student is not None and simulation is not None:
        for n, (seconds, score) in enumerate(data["practices"]):
            centres.practice_record(
                student=student, resource=simulation, seconds=seconds, score=score, client_token=f"demo-{n}"
            )


def seed_vocational(*, scale: str, progress: Progress) -> None:
    rng = random.Random("vocational:20220329")
    partners = _load("partners.json")
    names = _load("courses.json")
    for spec in progress(_load("libraries.json"), desc="vocational libraries"):
        _library(spec, partners, rng)
    _catalogue_courses(names, rng)
    _demo_course(names)
    _centres()
    services.quality_scores_refresh()
    if scale == "seed":
        _bulk_personal_courses(progress)
