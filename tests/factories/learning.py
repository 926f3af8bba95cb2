"""Factories for classes and quizzes, built through the services (so every row obeys their rules).

Quizzes need an owner kind: ``TEST_OWNER`` ("tests.item", platform vocational) is registered here, with
switches a test may flip (``hide``, ``allow_manage``); the ``test_owner`` fixtures reset them.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import factory
from django.db import connections
from django.utils import timezone

from smartedu.accounts.models import Role
from smartedu.classes import services as class_services
from smartedu.classes.models import Class, Membership
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Purpose, Question, Quiz
from smartedu.quizzes.registry import register_quiz_owner
from tests.factories import UserFactory

TEST_OWNER_KIND = "tests.item"
TEST_PLATFORM = "vocational"


class TestOwnerState:
    """What the test owner app answers: every item is visible to everyone unless hidden."""

    def __init__(self) -> None:
        self.hidden: set[int] = set()
        self.managers: dict[int, set[int]] = {}

    def reset(self) -> None:
        self.hidden.clear()
        self.managers.clear()

    def hide(self, owner_id: int) -> None:
        self.hidden.add(owner_id)

    def allow_manage(self, owner_id: int, user) -> None:
        self.managers.setdefault(owner_id, set()).add(user.pk)


TEST_OWNER = TestOwnerState()


def _may_view(user, owner_id: int) -> bool:
    return owner_id not in TEST_OWNER.hidden


def _may_manage(user, owner_id: int) -> bool:
    return getattr(user, "pk", None) in TEST_OWNER.managers.get(owner_id, set())


def register_test_owner() -> None:
    register_quiz_owner(
        TEST_OWNER_KIND,
        platform=TEST_PLATFORM,
        label="test item",
        may_view=_may_view,
        page_url=lambda owner_id: f"/vocational/items/{owner_id}/",
        may_manage=_may_manage,
    )


register_test_owner()


# --- Users ---------------------------------------------------------------------------------------


def teacher(**kwargs) -> object:
    return UserFactory(role=Role.TEACHER, institution=kwargs.pop("institution", "深圳职业技术大学"), **kwargs)


def student(**kwargs) -> object:
    return UserFactory(role=Role.STUDENT, **kwargs)


def admin(**kwargs) -> object:
    return UserFactory(role=Role.ADMIN, **kwargs)


# --- Classes -------------------------------------------------------------------------------------


class ClassFactory(factory.Factory):
    """``ClassFactory(teacher=…, platform=…)`` → ``class_create``; a fresh teacher when none is given."""

    class Meta:
        model = Class

    teacher = factory.LazyFunction(teacher)
    name = factory.Sequence(lambda n: f"数控技术2401班（{n}）")
    platform = TEST_PLATFORM
    label = "数控技术"

    @classmethod
    def _create(cls, model_class, *, teacher, name, platform, label, **kwargs):
        return class_services.class_create(
            teacher=teacher, name=name, platform=platform, label=label, **kwargs
        )


def join(user, klass: Class) -> Membership:
    membership, _created = class_services.class_join(user=user, code=klass.code)
    return membership


def class_with_students(n: int = 2, **kwargs) -> tuple[Class, list]:
    klass = ClassFactory(**kwargs)
    students = [student() for _ in range(n)]
    for user in students:
        join(user, klass)
    return klass, students


# --- Questions and quizzes -----------------------------------------------------------------------

SAMPLES = {
    "single": {
        "prompt": "数控车床主轴转速的常用单位是？",
        "options": [
            {"key": "A", "text": "m/s"},
            {"key": "B", "text": "r/min"},
            {"key": "C", "text": "N·m"},
            {"key": "D", "text": "kW"},
        ],
        "answer": "B",
        "explanation": "主轴转速用每分钟转数（r/min）表示。",
    },
    "multiple": {
        "prompt": "下列属于可再生能源的有？",
        "options": [
            {"key": "A", "text": "太阳能"},
            {"key": "B", "text": "煤炭"},
            {"key": "C", "text": "风能"},
            {"key": "D", "text": "石油"},
        ],
        "answer": "A,C",
        "explanation": "太阳能和风能可以不断再生；煤炭和石油是化石能源。",
    },
    "true_false": {
        "prompt": "在标准大气压下，水的沸点是100℃。",
        "options": [],
        "answer": "true",
        "explanation": "一个标准大气压下纯水在100℃沸腾。",
    },
    "fill_in": {
        "prompt": "圆周率π约等于____（保留两位小数）。",
        "options": [],
        "answer": "3.14|3.140",
        "explanation": "π≈3.14159…，保留两位小数为3.14。",
    },
}
WRONG = {"single": "A", "multiple": "A", "true_false": "false", "fill_in": "3.15"}


class QuestionFactory(factory.Factory):
    """``QuestionFactory(kind="multiple")`` → ``question_create`` with a sensible sample of that kind."""

    class Meta:
        model = Question

    kind = "single"
    platform = TEST_PLATFORM

    @classmethod
    def _create(cls, model_class, *, kind, platform, **kwargs):
        values = {**SAMPLES[kind], **kwargs}
        return quiz_services.question_create(platform=platform, kind=kind, **values)


def right_answer(question: Question) -> str:
    return question.answer.split("|")[0]


def wrong_answer(question: Question) -> str:
    return WRONG[question.kind]


def four_questions(**kwargs) -> list[Question]:
    return [QuestionFactory(kind=kind, **kwargs) for kind in ("single", "multiple", "true_false", "fill_in")]


class QuizFactory(factory.Factory):
    """``QuizFactory(questions=[…], purpose=…, klass=…)`` → ``quiz_create``; one question of each kind
    and a fresh owner id by default; class-bound quizzes get a window open now for an hour."""

    class Meta:
        model = Quiz

    owner_ref = factory.Sequence(lambda n: f"{TEST_OWNER_KIND}:{n + 1}")
    title = factory.Sequence(lambda n: f"随堂练习{n}")
    purpose = Purpose.PRACTICE
    klass = None
    questions = factory.LazyFunction(four_questions)
    opens_at = factory.LazyAttribute(
        lambda o: timezone.now() - timedelta(minutes=5) if o.purpose == Purpose.IN_CLASS else None
    )
    closes_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + timedelta(hours=1) if o.purpose in (Purpose.IN_CLASS, Purpose.HOMEWORK) else None
        )
    )
    created_by = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return quiz_services.quiz_create(**kwargs)


def answers_for(quiz: Quiz, *, wrong: tuple[int, ...] = ()) -> dict[int, str]:
    """Right answers to every question of ``quiz``, wrong ones at the given positions (0-based)."""
    questions = [qq.question for qq in quiz.quiz_questions.select_related("question").order_by("order")]
    return {
        q.pk: (wrong_answer(q) if index in wrong else right_answer(q)) for index, q in enumerate(questions)
    }


def submit(user, quiz: Quiz, *, wrong: tuple[int, ...] = (), **kwargs):
    attempt, _created = quiz_services.attempt_submit(
        student=user, quiz=quiz, answers=answers_for(quiz, wrong=wrong), **kwargs
    )
    return attempt


# --- Concurrency -----------------------------------------------------------------------------------

THREADS = 20


def run_together(fn, n=THREADS):
    """Run ``fn`` in ``n`` threads released at once; each has its own database connection."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
