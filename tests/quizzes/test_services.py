"""Question-engine services: questions, quizzes on any content, graded attempts, review quizzes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from smartedu.accounts.models import Role
from smartedu.classes import services as class_services
from smartedu.quizzes import registry, services
from smartedu.quizzes.models import Attempt, AttemptAnswer, KnowledgePoint, Purpose, Question, Quiz
from tests.factories import UserFactory
from tests.factories.learning import (
    TEST_OWNER_KIND,
    ClassFactory,
    QuestionFactory,
    QuizFactory,
    admin,
    answers_for,
    class_with_students,
    four_questions,
    student,
    submit,
    teacher,
)

pytestmark = pytest.mark.django_db


# --- knowledge points and questions -------------------------------------------------------------


def test_knowledge_points_are_created_once():
    first = services.knowledge_point_get_or_create(platform="vocational", subject="数控技术", name="切削用量")
    again = services.knowledge_point_get_or_create(
        platform="vocational", subject="数控技术", name=" 切削用量 "
    )
    assert first.pk == again.pk
    assert KnowledgePoint.objects.count() == 1


def test_a_question_is_tagged_with_knowledge_points_of_its_platform():
    point = services.knowledge_point_get_or_create(platform="vocational", name="主轴转速")
    question = QuestionFactory(knowledge_points=[point])
    assert list(question.knowledge_points.all()) == [point]
    k12_point = services.knowledge_point_get_or_create(platform="k12", name="圆周率")
    with pytest.raises(ValidationError) as exc:
        QuestionFactory(knowledge_points=[k12_point])
    assert "knowledge_points" in exc.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "single", "answer": "E"}, "answer"),
        ({"kind": "true_false", "answer": "对"}, "answer"),
        ({"kind": "essay"}, "kind"),
        ({"kind": "single", "prompt": "  "}, "prompt"),
        ({"kind": "single", "prompt": "题\x00"}, "prompt"),
    ],
)
def test_a_badly_shaped_question_is_refused(kwargs, field):
    kind = kwargs.pop("kind")
    values = {
        "platform": "vocational",
        "kind": kind,
        "prompt": "题目",
        "answer": "A",
        "options": [],
        **kwargs,
    }
    if kind == "single":
        values["options"] = [{"key": "A", "text": "甲"}, {"key": "B", "text": "乙"}]
    with pytest.raises(ValidationError) as exc:
        services.question_create(**values)
    assert field in exc.value.message_dict
    assert not Question.objects.exists()


def test_updating_a_question_keeps_past_grades():
    quiz = QuizFactory(questions=[QuestionFactory(kind="single")])
    pupil = student()
    attempt = submit(pupil, quiz)
    question = quiz.questions.get()
    services.question_update(question=question, answer="C")
    assert AttemptAnswer.objects.get(attempt=attempt).is_correct
    with pytest.raises(ValidationError):
        services.question_update(question=question, answer="Z")


# --- quizzes ------------------------------------------------------------------------------------


def test_a_practice_quiz_keeps_its_questions_in_order():
    questions = four_questions()
    quiz = QuizFactory(questions=list(reversed(questions)))
    assert quiz.platform == "vocational"
    assert quiz.owner_ref.startswith(f"{TEST_OWNER_KIND}:")
    assert [qq.question_id for qq in quiz.quiz_questions.order_by("order")] == [
        q.pk for q in reversed(questions)
    ]


@pytest.mark.parametrize(
    ("owner_ref", "field"), [("nonsense", "owner"), ("unknown.thing:1", "owner"), ("tests.item:-1", "owner")]
)
def test_an_unknown_owner_is_refused(owner_ref, field):
    with pytest.raises(ValidationError) as exc:
        QuizFactory(owner_ref=owner_ref)
    assert field in exc.value.message_dict


def test_quiz_rules():
    klass = ClassFactory()
    now = timezone.now()
    cases = [
        ({"purpose": Purpose.IN_CLASS, "klass": None}, "klass"),
        ({"purpose": Purpose.HOMEWORK, "klass": klass, "closes_at": None}, "closes_at"),
        ({"purpose": Purpose.IN_CLASS, "klass": klass, "opens_at": None}, "opens_at"),
        ({"purpose": Purpose.IN_CLASS, "klass": klass, "opens_at": now, "closes_at": now}, "closes_at"),
        ({"purpose": Purpose.PRACTICE, "klass": klass}, "klass"),
        ({"purpose": Purpose.REVIEW}, "purpose"),
        ({"purpose": "exam"}, "purpose"),
        ({"questions": []}, "questions"),
        ({"questions": [QuestionFactory()] * 2}, "questions"),
        ({"questions": [QuestionFactory(platform="k12")]}, "questions"),
        ({"purpose": Purpose.HOMEWORK, "klass": ClassFactory(platform="k12")}, "klass"),
        ({"purpose": Purpose.IN_CLASS, "klass": klass, "opens_at": now.replace(tzinfo=None)}, "opens_at"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            QuizFactory(**kwargs)
        assert field in exc.value.message_dict, kwargs
    assert not Quiz.objects.exists()


def test_an_archived_class_gets_no_new_tests():
    klass = ClassFactory()
    class_services.class_archive(user=klass.teacher, klass=klass)
    with pytest.raises(ValidationError):
        QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)


def test_only_the_class_teacher_sets_its_tests():
    klass = ClassFactory()
    for intruder in (teacher(), student()):
        with pytest.raises(PermissionDenied):
            QuizFactory(purpose=Purpose.IN_CLASS, klass=klass, created_by=intruder)
    assert QuizFactory(purpose=Purpose.IN_CLASS, klass=klass, created_by=klass.teacher).klass == klass
    assert QuizFactory(purpose=Purpose.IN_CLASS, klass=klass, created_by=admin()).klass == klass


def test_practice_quizzes_need_the_owner_managers_permission(test_owner):
    editor = teacher()
    with pytest.raises(PermissionDenied):
        QuizFactory(owner_ref=f"{TEST_OWNER_KIND}:7", created_by=editor)
    test_owner.allow_manage(7, editor)
    assert QuizFactory(owner_ref=f"{TEST_OWNER_KIND}:7", created_by=editor).owner_id == 7


def test_the_teacher_moves_the_window_others_may_not():
    klass = ClassFactory()
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    later = timezone.now() + timedelta(days=1)
    services.quiz_update(user=klass.teacher, quiz=quiz, closes_at=later)
    quiz.refresh_from_db()
    assert quiz.closes_at == later
    with pytest.raises(PermissionDenied):
        services.quiz_update(user=teacher(), quiz=quiz, closes_at=None)
    with pytest.raises(ValidationError):
        services.quiz_update(user=klass.teacher, quiz=quiz, closes_at=None)


def test_an_owner_app_withdraws_its_quizzes():
    quiz = QuizFactory(owner_ref=f"{TEST_OWNER_KIND}:42")
    other = QuizFactory(owner_ref=f"{TEST_OWNER_KIND}:43")
    assert services.quiz_deactivate_for_owner(owner_ref=f"{TEST_OWNER_KIND}:42") == 1
    quiz.refresh_from_db()
    other.refresh_from_db()
    assert not quiz.is_active
    assert other.is_active


# --- attempts ----------------------------------------------------------------------------------


def test_an_attempt_is_graded_on_the_server():
    quiz = QuizFactory()
    pupil = student()
    attempt = submit(pupil, quiz, wrong=(0, 3))
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (2, 4, 50)
    assert attempt.purpose == Purpose.PRACTICE
    answers = list(attempt.answers.order_by("order"))
    assert [a.is_correct for a in answers] == [False, True, True, False]
    assert all(a.student_id == pupil.pk for a in answers)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.STUDENT])
def test_only_students_attempt(role):
    quiz = QuizFactory()
    with pytest.raises(PermissionDenied):
        services.attempt_submit(student=UserFactory(role=role), quiz=quiz, answers=answers_for(quiz))
    assert not Attempt.objects.exists()


def test_a_hidden_owner_hides_the_quiz_from_attempts(test_owner):
    quiz = QuizFactory()
    test_owner.hide(quiz.owner_id)
    with pytest.raises(PermissionDenied):
        submit(student(), quiz)


def test_bad_answers_are_refused_and_nothing_is_written():
    quiz = QuizFactory()
    other = QuizFactory()
    pupil = student()
    right = answers_for(quiz)
    first, *rest = right
    foreign = next(iter(answers_for(other)))
    cases = [
        ({**right, foreign: "A"}, str(foreign)),
        ({k: right[k] for k in rest}, str(first)),
        ({**right, first: "Z"}, "Z"),
        ({}, str(first)),
    ]
    for answers, named in cases:
        with pytest.raises(ValidationError) as exc:
            services.attempt_submit(student=pupil, quiz=quiz, answers=answers)
        assert named in " ".join(exc.value.message_dict["answers"])
    assert not Attempt.objects.exists()
    assert not AttemptAnswer.objects.exists()


def test_the_same_client_token_is_one_attempt():
    quiz = QuizFactory()
    pupil = student()
    first, created = services.attempt_submit(
        student=pupil, quiz=quiz, answers=answers_for(quiz), client_token="t-1"
    )
    again, created_again = services.attempt_submit(
        student=pupil, quiz=quiz, answers=answers_for(quiz, wrong=(0,)), client_token="t-1"
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    _third, created_third = services.attempt_submit(student=pupil, quiz=quiz, answers=answers_for(quiz))
    assert created_third
    assert Attempt.objects.count() == 2
    with pytest.raises(ValidationError):
        services.attempt_submit(student=pupil, quiz=quiz, answers=answers_for(quiz), client_token="x" * 65)


def test_practice_can_be_repeated_class_bound_quizzes_once():
    practice = QuizFactory()
    pupil = student()
    submit(pupil, practice)
    submit(pupil, practice)
    assert Attempt.objects.filter(quiz=practice).count() == 2
    klass, (member,) = class_with_students(1)
    test = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    first = submit(member, test, wrong=(0,))
    again, created = services.attempt_submit(student=member, quiz=test, answers=answers_for(test))
    assert not created
    assert again.pk == first.pk
    assert again.score == 75
    assert Attempt.objects.filter(quiz=test).count() == 1


def test_in_class_tests_are_for_members_only():
    klass, (member,) = class_with_students(1)
    test = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    for outsider in (student(), klass.teacher):
        with pytest.raises(PermissionDenied):
            submit(outsider, test)
    class_services.class_leave(user=member, klass=klass)
    with pytest.raises(PermissionDenied):
        submit(member, test)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("offset", "message"), [(-timedelta(hours=2), "closed"), (timedelta(hours=2), "not open")]
)
def test_outside_the_window_is_refused(offset, message):
    klass, (member,) = class_with_students(1)
    now = timezone.now()
    test = QuizFactory(
        purpose=Purpose.IN_CLASS,
        klass=klass,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as exc:
        services.attempt_submit(student=member, quiz=test, answers=answers_for(test), now=now + offset)
    assert "quiz" in exc.value.message_dict
    assert not Attempt.objects.exists()
    assert services.attempt_submit(student=member, quiz=test, answers=answers_for(test), now=now)[1]


def test_homework_closes_at_its_due_time():
    klass, (member,) = class_with_students(1)
    due = timezone.now() + timedelta(hours=1)
    homework = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass, closes_at=due)
    with pytest.raises(ValidationError):
        services.attempt_submit(
            student=member, quiz=homework, answers=answers_for(homework), now=due + timedelta(seconds=1)
        )
    attempt = services.attempt_submit(student=member, quiz=homework, answers=answers_for(homework))[0]
    assert attempt.purpose == Purpose.HOMEWORK
    assert attempt.klass == klass


def test_a_withdrawn_quiz_takes_no_attempts():
    quiz = QuizFactory()
    services.quiz_deactivate_for_owner(owner_ref=quiz.owner_ref)
    quiz.refresh_from_db()
    with pytest.raises(PermissionDenied):
        submit(student(), quiz)


def test_an_unregistered_owner_kind_makes_quizzes_invisible():
    quiz = QuizFactory()
    registry.unregister_quiz_owner(TEST_OWNER_KIND)
    with pytest.raises(PermissionDenied):
        submit(student(), quiz)


# --- review of the wrong-answer book -------------------------------------------------------------


def test_a_review_quiz_holds_the_wrong_answers_and_is_recorded_as_review():
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz, wrong=(1, 2))
    review = services.review_quiz_start(student=pupil)
    wrong_ids = [qq.question_id for qq in quiz.quiz_questions.order_by("order")][1:3]
    assert review.purpose == Purpose.REVIEW
    assert review.student == pupil
    assert sorted(qq.question_id for qq in review.quiz_questions.all()) == sorted(wrong_ids)
    # Starting again before answering gives the same review back.
    assert services.review_quiz_start(student=pupil).pk == review.pk
    attempt = submit(pupil, review)
    assert attempt.purpose == Purpose.REVIEW
    with pytest.raises(ValidationError) as exc:
        services.review_quiz_start(student=pupil)  # everything was answered right: the book is empty
    assert "questions" in exc.value.message_dict


def test_a_review_of_chosen_questions_only_from_the_book():
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz, wrong=(0, 1))
    ids = [qq.question_id for qq in quiz.quiz_questions.order_by("order")]
    review = services.review_quiz_start(student=pupil, question_ids=[ids[1]])
    assert [qq.question_id for qq in review.quiz_questions.all()] == [ids[1]]
    with pytest.raises(ValidationError) as exc:
        services.review_quiz_start(student=pupil, question_ids=[ids[3]])
    assert str(ids[3]) in " ".join(exc.value.message_dict["questions"])


def test_a_review_quiz_is_the_students_own():
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz, wrong=(0,))
    review = services.review_quiz_start(student=pupil)
    with pytest.raises(PermissionDenied):
        submit(student(), review)
    with pytest.raises(PermissionDenied):
        services.review_quiz_start(student=teacher())
