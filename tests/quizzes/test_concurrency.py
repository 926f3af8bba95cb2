"""Twenty simultaneous submissions create one attempt: the same client token, or a class test taken once."""

import uuid

import pytest
from django.db import connection

from smartedu.quizzes import services
from smartedu.quizzes.models import Attempt, AttemptAnswer, Purpose
from tests.factories.learning import (
    THREADS,
    QuizFactory,
    answers_for,
    class_with_students,
    run_together,
    student,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)


def test_twenty_submissions_with_one_token_make_one_attempt(committed_db):
    quiz = QuizFactory()
    pupil = student()
    answers = answers_for(quiz)
    results, errors = run_together(
        lambda: services.attempt_submit(
            student=pupil, quiz=quiz, answers=answers, client_token="double-click"
        )
    )
    assert errors == []
    assert len(results) == THREADS
    assert Attempt.objects.filter(quiz=quiz, student=pupil).count() == 1
    assert AttemptAnswer.objects.count() == 4
    assert sum(created for _attempt, created in results) == 1
    assert len({attempt.pk for attempt, _created in results}) == 1


def test_twenty_submissions_of_an_in_class_test_make_one_attempt(committed_db):
    klass, (member,) = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    answers = answers_for(quiz)
    results, errors = run_together(
        lambda: services.attempt_submit(
            student=member, quiz=quiz, answers=answers, client_token=uuid.uuid4().hex
        )
    )
    assert errors == []
    assert Attempt.objects.filter(quiz=quiz, student=member).count() == 1
    assert AttemptAnswer.objects.count() == 4
    assert sum(created for _attempt, created in results) == 1
