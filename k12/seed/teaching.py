"""Demo teaching data: the demo ``teacher``'s K-12 class with the demo ``student`` in it, a preparation plan
and a homework on a demo lesson — all through the services, idempotent (found by name, made once)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from k12 import services
from k12.models import Lesson, PrepPlan
from smartedu.accounts.models import User
from smartedu.classes import services as class_services
from smartedu.classes.models import Class
from smartedu.portal.registry import Progress
from smartedu.quizzes.models import Purpose, Quiz

DEMO_CLASS = "七年级（3）班"
DEMO_PLAN = "第一单元 第1课时 备课"


def seed_k12_teaching(*, scale: str, progress: Progress) -> None:
    teacher = User.objects.filter(username="teacher").first()
    student = User.objects.filter(username="student").first()
    lesson = (
        Lesson.objects.visible()
        .filter(hours__questions__isnull=False, textbook__subject__name="数学")
        .order_by("textbook__stage__order", "textbook__order", "unit__order", "order")
        .first()
    ) or Lesson.objects.visible().filter(hours__questions__isnull=False).order_by("pk").first()
    if teacher is None or student is None or lesson is None:
        return
    for _step in progress([1], desc="k12 teaching"):
        klass = Class.objects.filter(teacher=teacher, platform="k12", name=DEMO_CLASS).first()
        if klass is None:
            klass = class_services.class_create(
                teacher=teacher, name=DEMO_CLASS, platform="k12", label="七年级 数学"
            )
        class_services.class_join(user=student, code=klass.code, platform="k12")
        if not PrepPlan.objects.filter(owner=teacher, title=DEMO_PLAN).exists():
            plan = services.prep_plan_create(
                teacher=teacher,
                title=DEMO_PLAN,
                class_id=klass.pk,
                notes="导入：生活中的数（温度、海拔）；重点：正数和负数的意义；课堂练习后布置作业。",
                is_shared=True,
            )
            for hour in lesson.hours.all():
                services.prep_item_add(teacher=teacher, plan=plan, hour=hour)
        if not Quiz.objects.filter(klass=klass, purpose=Purpose.HOMEWORK, owner_id=lesson.pk).exists():
            services.homework_assign(
                teacher=teacher,
                lesson=lesson,
                class_id=klass.pk,
                due_at=timezone.now() + timedelta(days=7),
            )
