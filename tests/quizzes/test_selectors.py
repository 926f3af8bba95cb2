"""Reads for the wrong-answer book, the four vocational rates and K-12 homework results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartedu.classes import services as class_services
from smartedu.quizzes import selectors, services
from smartedu.quizzes.models import Purpose
from tests.factories.learning import (
    QuestionFactory,
    QuizFactory,
    answers_for,
    class_with_students,
    right_answer,
    student,
    wrong_answer,
)

pytestmark = pytest.mark.django_db


def ids(quiz):
    return [qq.question_id for qq in quiz.quiz_questions.order_by("order")]


def answer(pupil, quiz, *, wrong=(), at=None):
    return services.attempt_submit(student=pupil, quiz=quiz, answers=answers_for(quiz, wrong=wrong), now=at)[
        0
    ]


# --- wrong-answer book --------------------------------------------------------------------------


def test_the_book_holds_questions_whose_latest_answer_was_wrong():
    quiz = QuizFactory()
    pupil = student()
    q = ids(quiz)
    t0 = timezone.now() - timedelta(hours=3)
    answer(pupil, quiz, wrong=(0, 1), at=t0)
    answer(pupil, quiz, wrong=(1, 2), at=t0 + timedelta(hours=1))  # 0 now right, 2 newly wrong
    book = list(selectors.wrong_answers(student=pupil))
    assert sorted(a.question_id for a in book) == sorted([q[1], q[2]])
    assert {a.question_id: a.wrong_times for a in book} == {q[1]: 2, q[2]: 1}
    assert set(selectors.wrong_question_ids(student=pupil)) == {q[1], q[2]}
    # Another student's mistakes are not in the book.
    assert list(selectors.wrong_answers(student=student())) == []


def test_the_same_question_in_two_quizzes_is_one_entry():
    question = QuestionFactory(kind="true_false")
    practice = QuizFactory(questions=[question])
    homework_like = QuizFactory(questions=[question])
    pupil = student()
    t0 = timezone.now() - timedelta(hours=2)
    services.attempt_submit(student=pupil, quiz=practice, answers={question.pk: "false"}, now=t0)
    services.attempt_submit(
        student=pupil, quiz=homework_like, answers={question.pk: "false"}, now=t0 + timedelta(minutes=5)
    )
    book = list(selectors.wrong_answers(student=pupil))
    assert [a.question_id for a in book] == [question.pk]
    assert book[0].wrong_times == 2
    services.attempt_submit(student=pupil, quiz=practice, answers={question.pk: "true"})
    assert list(selectors.wrong_answers(student=pupil)) == []


def test_the_book_filters_by_platform():
    vocational = QuizFactory()
    pupil = student()
    answer(pupil, vocational, wrong=(0,))
    assert len(selectors.wrong_question_ids(student=pupil, platform="vocational")) == 1
    assert selectors.wrong_question_ids(student=pupil, platform="k12") == []


def test_the_book_query_count_is_fixed(django_assert_num_queries):
    pupil = student()
    for _ in range(3):
        answer(pupil, QuizFactory(), wrong=(0, 1, 2, 3))
    with django_assert_num_queries(1):
        rows = [
            (a.question.prompt, a.attempt.quiz.title, a.wrong_times)
            for a in selectors.wrong_answers(student=pupil)
        ]
    assert len(rows) == 12


# --- mastery per knowledge point ----------------------------------------------------------------


def test_mastery_uses_the_latest_answer_to_each_question():
    cutting = services.knowledge_point_get_or_create(
        platform="vocational", subject="数控技术", name="切削用量"
    )
    energy = services.knowledge_point_get_or_create(platform="vocational", name="可再生能源")
    q1 = QuestionFactory(kind="single", knowledge_points=[cutting])
    q2 = QuestionFactory(kind="fill_in", knowledge_points=[cutting])
    q3 = QuestionFactory(kind="multiple", knowledge_points=[cutting, energy])
    untagged = QuestionFactory(kind="true_false")
    quiz = QuizFactory(questions=[q1, q2, q3, untagged])
    a, b = student(), student()
    t0 = timezone.now() - timedelta(days=2)
    answer(a, quiz, wrong=(0, 1, 2), at=t0)
    answer(a, quiz, wrong=(2,), at=t0 + timedelta(days=1))  # later: q1, q2 right; q3 still wrong
    answer(b, quiz, at=t0)
    rows = {
        (r.student_id, r.knowledge_point_id): r
        for r in selectors.knowledge_point_mastery(student_ids=[a.pk, b.pk])
    }
    assert (rows[(a.pk, cutting.pk)].answered, rows[(a.pk, cutting.pk)].correct) == (3, 2)
    assert rows[(a.pk, cutting.pk)].mostly_correct
    assert (rows[(a.pk, energy.pk)].answered, rows[(a.pk, energy.pk)].correct) == (1, 0)
    assert not rows[(a.pk, energy.pk)].mostly_correct
    assert rows[(b.pk, cutting.pk)].rate == 1.0
    assert len(rows) == 4  # untagged questions count for no knowledge point
    # Within a period ending before the second attempt, the first answers are the latest.
    early = {
        (r.student_id, r.knowledge_point_id): (r.answered, r.correct)
        for r in selectors.knowledge_point_mastery(student_ids=[a.pk], end=t0 + timedelta(hours=1))
    }
    assert early == {(a.pk, cutting.pk): (3, 0), (a.pk, energy.pk): (1, 0)}
    only_other_quiz = selectors.knowledge_point_mastery(student_ids=[a.pk], quiz_ids=[QuizFactory().pk])
    assert only_other_quiz == []


def test_mastery_is_one_query(django_assert_num_queries):
    point = services.knowledge_point_get_or_create(platform="vocational", name="点")
    quiz = QuizFactory(
        questions=[QuestionFactory(kind=k, knowledge_points=[point]) for k in ("single", "true_false")]
    )
    students = [student() for _ in range(5)]
    for pupil in students:
        answer(pupil, quiz)
    with django_assert_num_queries(1):
        rows = selectors.knowledge_point_mastery(student_ids=[s.pk for s in students], platform="vocational")
    assert len(rows) == 5


# --- class activity ------------------------------------------------------------------------------


def test_who_took_an_in_class_test_in_a_period():
    klass, (a, b, c) = class_with_students(3)
    test = QuizFactory(
        purpose=Purpose.IN_CLASS,
        klass=klass,
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() + timedelta(days=1),
    )
    practice = QuizFactory()
    answer(a, test, at=timezone.now() - timedelta(days=2))
    answer(b, test)
    answer(c, practice)
    now = timezone.now()
    assert selectors.class_test_takers(
        klass_id=klass.pk, start=now - timedelta(days=1), end=now + timedelta(minutes=1)
    ) == {b.pk}
    assert selectors.class_test_takers(
        klass_id=klass.pk, start=now - timedelta(days=7), end=now + timedelta(minutes=1)
    ) == {a.pk, b.pk}


def test_review_attempts_are_counted_as_such():
    quiz = QuizFactory()
    pupil = student()
    answer(pupil, quiz, wrong=(0,))
    review = services.review_quiz_start(student=pupil)
    answer(pupil, review)
    now = timezone.now()
    reviews = selectors.review_attempts(
        student_ids=[pupil.pk], start=now - timedelta(hours=1), end=now + timedelta(minutes=1)
    )
    assert [a.quiz_id for a in reviews] == [review.pk]


# --- results of one quiz -------------------------------------------------------------------------


def test_results_per_question_per_student_missing_and_most_missed():
    klass, (a, b, c, d) = class_with_students(4)
    homework = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)
    answer(a, homework, wrong=(1,))
    answer(b, homework, wrong=(1, 3))
    answer(c, homework)
    class_services.class_leave(user=c, klass=klass)  # left after submitting: still in the results
    results = selectors.quiz_results(quiz=homework)
    assert [(r.answered, r.correct) for r in results.questions] == [(3, 3), (3, 1), (3, 3), (3, 2)]
    assert [r.position for r in results.most_missed] == [2, 4]
    scores = {r.student.pk: r.latest_score for r in results.students}
    assert scores == {a.pk: 75, b.pk: 50, c.pk: 100, d.pk: None}
    assert [s.pk for s in results.missing] == [d.pk]
    assert results.submitted == 3
    assert [s.pk for s in selectors.quiz_missing_students(quiz=homework)] == [d.pk]


def test_practice_results_count_each_students_latest_attempt():
    quiz = QuizFactory()
    pupil = student()
    t0 = timezone.now() - timedelta(hours=1)
    answer(pupil, quiz, wrong=(0, 1, 2, 3), at=t0)
    answer(pupil, quiz, at=t0 + timedelta(minutes=10))
    results = selectors.quiz_results(quiz=quiz)
    assert [(r.answered, r.correct) for r in results.questions] == [(1, 1)] * 4
    (row,) = results.students
    assert (row.attempts, row.latest_score, row.best_score) == (2, 100, 100)
    assert results.missing == []
    assert results.most_missed == []


def test_results_query_count_does_not_grow_with_the_class(django_assert_num_queries):
    def measure(n):
        klass, students = class_with_students(n)
        homework = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)
        for pupil in students[: n - 1]:
            answer(pupil, homework, wrong=(0,))
        with django_assert_num_queries(6):
            results = selectors.quiz_results(quiz=homework)
        return results

    assert len(measure(2).students) == 2
    assert len(measure(8).students) == 8


def test_answer_helpers_agree_with_grading():
    for kind in ("single", "multiple", "true_false", "fill_in"):
        question = QuestionFactory(kind=kind)
        assert right_answer(question) != wrong_answer(question)
