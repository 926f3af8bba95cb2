"""The quizzes admin creates questions and quizzes through the services; attempts are read-only."""

import json

import pytest
from django.urls import reverse

from smartedu.accounts.models import Role
from smartedu.quizzes.models import Attempt, Question, Quiz
from tests.factories import UserFactory
from tests.factories.learning import QuestionFactory, QuizFactory, student, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", ["knowledgepoint", "question", "quiz", "attempt"])
def test_lists_render(client, editor, model):
    submit(student(), QuizFactory())
    assert client.get(reverse(f"admin:quizzes_{model}_changelist"), {"q": "数控"}).status_code == 200


def test_a_question_is_created_through_the_service(client, editor):
    options = [{"key": "A", "text": "对称"}, {"key": "B", "text": "不对称"}]
    data = {
        "platform": "k12",
        "kind": "single",
        "prompt": "正方形是轴对称图形吗？",
        "options": json.dumps(options),
        "answer": "A",
        "explanation": "正方形有四条对称轴。",
    }
    response = client.post(reverse("admin:quizzes_question_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.created_by == editor
    bad = client.post(reverse("admin:quizzes_question_add"), {**data, "answer": "C"})
    assert bad.status_code == 200
    assert "答案必须是某个选项的" in bad.content.decode()
    assert Question.objects.count() == 1


def test_a_quiz_is_created_through_the_service(client, editor):
    questions = [QuestionFactory(kind="true_false"), QuestionFactory(kind="fill_in")]
    data = {
        "owner": "tests.item:5",
        "question_ids": f"{questions[1].pk}, {questions[0].pk}",
        "title": "第二单元练习",
        "purpose": "practice",
        "is_active": "on",
        "quiz_questions-TOTAL_FORMS": "0",
        "quiz_questions-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:quizzes_quiz_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = Quiz.objects.get()
    assert quiz.owner_ref == "tests.item:5"
    assert [qq.question_id for qq in quiz.quiz_questions.order_by("order")] == [
        questions[1].pk,
        questions[0].pk,
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"owner": "nobody.knows:1"}, "没有应用登记过"),
        ({"question_ids": "999999"}, "题目不存在"),
        ({"purpose": "homework"}, "随堂测验和作业必须属于某个班级"),
    ],
)
def test_bad_quizzes_are_refused_with_the_reason(client, editor, changes, message):
    question = QuestionFactory(kind="true_false")
    data = {
        "owner": "tests.item:5",
        "question_ids": str(question.pk),
        "title": "练习",
        "purpose": "practice",
        "quiz_questions-TOTAL_FORMS": "0",
        "quiz_questions-INITIAL_FORMS": "0",
        **changes,
    }
    response = client.post(reverse("admin:quizzes_quiz_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Quiz.objects.exists()


def test_attempts_cannot_be_changed_or_deleted(client, editor):
    attempt = submit(student(), QuizFactory())
    assert client.get(reverse("admin:quizzes_attempt_change", args=[attempt.pk])).status_code == 200
    assert (
        client.post(reverse("admin:quizzes_attempt_delete", args=[attempt.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Attempt.objects.count() == 1


def test_withdrawing_quizzes(client, editor):
    quiz = QuizFactory()
    client.post(
        reverse("admin:quizzes_quiz_changelist"), {"action": "withdraw", "_selected_action": [quiz.pk]}
    )
    quiz.refresh_from_db()
    assert not quiz.is_active
