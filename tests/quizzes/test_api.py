"""``/api/v1/quizzes/`` and the same views mounted under a sub-platform, for every role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartedu.accounts.models import Role
from smartedu.quizzes.models import Attempt, Purpose
from smartedu.quizzes.registry import register_quiz_owner, unregister_quiz_owner
from tests.factories import UserFactory
from tests.factories.learning import (
    QuestionFactory,
    QuizFactory,
    admin,
    answers_for,
    class_with_students,
    student,
    submit,
    teacher,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/quizzes"
DENIED_ANONYMOUS = (401, 403)


def as_(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def body(quiz, **kwargs):
    return {
        "answers": [{"question": pk, "answer": value} for pk, value in answers_for(quiz, **kwargs).items()]
    }


@pytest.fixture
def in_class():
    klass, (member,) = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    return {
        "quiz": quiz,
        "anonymous": None,
        "outsider": student(),
        "member": member,
        "other_teacher": teacher(),
        "owner": klass.teacher,
        "admin": admin(),
    }


# --- reading a quiz ----------------------------------------------------------------------------


def test_questions_come_without_answers_before_submitting(api_client):
    quiz = QuizFactory()
    data = api_client.get(f"{API}/{quiz.pk}/").json()  # a public practice quiz: anyone may read it
    assert data["answers_shown"] is False
    assert len(data["questions"]) == 4
    for question in data["questions"]:
        assert "answer" not in question
        assert "explanation" not in question
    assert data["questions"][0]["options"][1] == {"key": "B", "text": "r/min"}
    assert data["owner"] == quiz.owner_ref
    assert data["owner_url"] == f"/vocational/items/{quiz.owner_id}/"


def test_managers_see_answers(api_client, test_owner):
    quiz = QuizFactory()
    editor = teacher()
    test_owner.allow_manage(quiz.owner_id, editor)
    data = as_(api_client, editor).get(f"{API}/{quiz.pk}/").json()
    assert data["answers_shown"] is True
    assert data["questions"][0]["answer"] == "B"
    assert data["questions"][0]["explanation"]


def test_a_hidden_owner_hides_its_quiz(api_client, test_owner):
    quiz = QuizFactory()
    test_owner.hide(quiz.owner_id)
    assert api_client.get(f"{API}/{quiz.pk}/").status_code == 404
    assert as_(api_client, student()).get(f"{API}/{quiz.pk}/").status_code == 404
    assert as_(api_client, admin()).get(f"{API}/{quiz.pk}/").status_code == 200


def test_a_missing_quiz_is_404(api_client):
    assert api_client.get(f"{API}/999999/").status_code == 404


def test_detail_query_count_is_fixed(api_client, django_assert_num_queries):
    quiz = QuizFactory()
    with django_assert_num_queries(3):  # the quiz, its questions, their knowledge points
        api_client.get(f"{API}/{quiz.pk}/")


IN_CLASS_STATUS = {
    # who: (GET quiz, answers shown, POST attempt, GET results)
    "outsider": (404, None, 404, 404),
    "member": (200, False, 201, 404),
    "other_teacher": (404, None, 404, 404),
    "owner": (200, True, 403, 200),
    "admin": (200, True, 403, 200),
}


@pytest.mark.parametrize("who", list(IN_CLASS_STATUS))
def test_an_in_class_test_per_role(api_client, in_class, who):
    quiz = in_class["quiz"]
    read, shown, attempt, results = IN_CLASS_STATUS[who]
    client = as_(api_client, in_class[who])
    detail = client.get(f"{API}/{quiz.pk}/")
    assert detail.status_code == read
    if read == 200:
        assert detail.json()["answers_shown"] is shown
    assert client.post(f"{API}/{quiz.pk}/attempts/", body(quiz)).status_code == attempt
    assert Attempt.objects.filter(quiz=quiz).count() == (1 if attempt == 201 else 0)
    assert client.get(f"{API}/{quiz.pk}/results/").status_code == results


def test_anonymous_clients_cannot_attempt_or_read_results(api_client, in_class):
    quiz = in_class["quiz"]
    assert api_client.get(f"{API}/{quiz.pk}/").status_code == 404
    assert api_client.post(f"{API}/{quiz.pk}/attempts/", body(quiz)).status_code in DENIED_ANONYMOUS
    assert api_client.get(f"{API}/{quiz.pk}/results/").status_code in DENIED_ANONYMOUS
    assert api_client.get(f"{API}/wrong-answers/").status_code in DENIED_ANONYMOUS
    assert not Attempt.objects.exists()


# --- attempts ------------------------------------------------------------------------------------


def test_an_attempt_is_graded_and_shows_explanations(api_client):
    quiz = QuizFactory()
    response = as_(api_client, student()).post(f"{API}/{quiz.pk}/attempts/", body(quiz, wrong=(1,)))
    assert response.status_code == 201
    data = response.json()
    assert (data["score"], data["correct_count"], data["question_count"]) == (75, 3, 4)
    wrong = data["answers"][1]
    assert wrong["is_correct"] is False
    assert wrong["correct_answer"] == "A,C"
    assert "太阳能" in wrong["explanation"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.STUDENT])
def test_only_students_attempt(api_client, role):
    quiz = QuizFactory()
    response = as_(api_client, UserFactory(role=role, approved=True)).post(
        f"{API}/{quiz.pk}/attempts/", body(quiz)
    )
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_the_same_idempotency_key_is_one_attempt(api_client):
    quiz = QuizFactory()
    client = as_(api_client, student())
    first = client.post(f"{API}/{quiz.pk}/attempts/", body(quiz), HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(f"{API}/{quiz.pk}/attempts/", body(quiz), HTTP_IDEMPOTENCY_KEY="k-1")
    in_body = client.post(f"{API}/{quiz.pk}/attempts/", {**body(quiz), "client_token": "k-1"})
    assert (first.status_code, again.status_code, in_body.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == in_body.json()["id"]
    assert Attempt.objects.count() == 1


def test_an_in_class_test_is_submitted_once(api_client, in_class):
    quiz = in_class["quiz"]
    client = as_(api_client, in_class["member"])
    first = client.post(f"{API}/{quiz.pk}/attempts/", body(quiz, wrong=(0,)))
    again = client.post(f"{API}/{quiz.pk}/attempts/", body(quiz))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["score"] == 75
    assert Attempt.objects.count() == 1


def test_outside_the_window_is_400_on_quiz(api_client):
    klass, (member,) = class_with_students(1)
    now = timezone.now()
    quiz = QuizFactory(
        purpose=Purpose.IN_CLASS,
        klass=klass,
        opens_at=now - timedelta(hours=2),
        closes_at=now - timedelta(hours=1),
    )
    response = as_(api_client, member).post(f"{API}/{quiz.pk}/attempts/", body(quiz))
    assert response.status_code == 400
    assert "quiz" in response.json()
    assert not Attempt.objects.exists()


def test_other_questions_or_missing_ones_are_400_naming_them(api_client):
    quiz = QuizFactory()
    other = QuizFactory(questions=[QuestionFactory(kind="true_false")])
    foreign = other.quiz_questions.get().question_id
    rows = body(quiz)["answers"]
    client = as_(api_client, student())
    response = client.post(
        f"{API}/{quiz.pk}/attempts/", {"answers": [*rows[1:], {"question": foreign, "answer": "true"}]}
    )
    assert response.status_code == 400
    text = " ".join(response.json()["answers"])
    assert str(foreign) in text
    assert str(rows[0]["question"]) in text
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"answers": "B"},
        {"answers": {"1": "B"}},
        {"answers": [{"question": "one", "answer": "B"}]},
        {"answers": [{"question": 1, "answer": {"$ne": None}}]},
        {"answers": [{"question": 1, "answer": ["B"]}]},
        {"answers": [{"question": 1, "answer": "B" * 201}]},
        {"answers": [{"question": 1, "answer": "B\x00"}]},
        {"answers": [{"question": 0, "answer": "B"}]},
        {"answers": [{"question": 2**70, "answer": "B"}]},
        {"answers": [{"question": n, "answer": "B"} for n in range(1, 300)]},
        {"answers": [[[[[[[[[["deep"]]]]]]]]]]},
    ],
)
def test_hostile_bodies_are_400_naming_the_field(api_client, payload):
    quiz = QuizFactory()
    response = as_(api_client, student()).post(f"{API}/{quiz.pk}/attempts/", payload, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()
    assert not Attempt.objects.exists()


def test_repeated_questions_are_400(api_client):
    quiz = QuizFactory()
    rows = body(quiz)["answers"]
    response = as_(api_client, student()).post(f"{API}/{quiz.pk}/attempts/", {"answers": [*rows, rows[0]]})
    assert response.status_code == 400
    assert str(rows[0]["question"]) in str(response.json()["answers"])


def test_a_long_idempotency_key_is_400(api_client):
    quiz = QuizFactory()
    response = as_(api_client, student()).post(
        f"{API}/{quiz.pk}/attempts/", body(quiz), HTTP_IDEMPOTENCY_KEY="k" * 65
    )
    assert response.status_code == 400
    assert "client_token" in response.json()


def test_attempts_are_rate_limited(api_client, settings):
    settings.QUIZZES_ATTEMPTS_PER_USER = 2
    quiz = QuizFactory()
    client = as_(api_client, student())
    statuses = [client.post(f"{API}/{quiz.pk}/attempts/", body(quiz)).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert Attempt.objects.count() == 2


def test_own_attempts_only_newest_first_with_fixed_queries(api_client, django_assert_num_queries):
    quiz = QuizFactory()
    pupil = student()
    first = submit(pupil, quiz, wrong=(0,))
    second = submit(pupil, quiz)
    submit(student(), quiz)
    client = as_(api_client, pupil)
    with django_assert_num_queries(4):  # the quiz, count, the page of attempts, their answers with questions
        data = client.get(f"{API}/{quiz.pk}/attempts/").json()
    assert [a["id"] for a in data["results"]] == [second.pk, first.pk]
    assert data["results"][1]["answers"][0]["is_correct"] is False


# --- results -------------------------------------------------------------------------------------


def test_results_for_the_class_teacher(api_client):
    klass, (a, b, c) = class_with_students(3)
    homework = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)
    submit(a, homework, wrong=(2,))
    submit(b, homework, wrong=(2, 3))
    data = as_(api_client, klass.teacher).get(f"{API}/{homework.pk}/results/").json()
    assert data["submitted"] == 2
    assert [q["wrong"] for q in data["questions"]] == [0, 0, 2, 1]
    assert [q["position"] for q in data["most_missed"]] == [3, 4]
    assert [s["id"] for s in data["missing"]] == [c.pk]
    assert {s["student"]["id"]: s["latest_score"] for s in data["students"]} == {
        a.pk: 75,
        b.pk: 50,
        c.pk: None,
    }


def test_practice_results_for_the_owners_managers_only(api_client, test_owner):
    quiz = QuizFactory()
    submit(student(), quiz)
    editor = teacher()
    assert as_(api_client, editor).get(f"{API}/{quiz.pk}/results/").status_code == 404
    test_owner.allow_manage(quiz.owner_id, editor)
    assert as_(api_client, editor).get(f"{API}/{quiz.pk}/results/").status_code == 200


# --- wrong-answer book and review ----------------------------------------------------------------


def test_the_wrong_answer_book_and_a_review(api_client, django_assert_num_queries):
    pupil = student()
    quiz = QuizFactory()
    submit(pupil, quiz, wrong=(0, 3))
    client = as_(api_client, pupil)
    with django_assert_num_queries(2):  # count, page
        book = client.get(f"{API}/wrong-answers/").json()
    assert book["count"] == 2
    entry = book["results"][0]
    assert {"question", "given", "answered_at", "wrong_times", "quiz", "quiz_title"} <= set(entry)
    assert entry["question"]["explanation"]  # submitted: explanations are shown
    review = client.post(f"{API}/wrong-answers/review/", {})
    assert review.status_code == 201
    review_id = review.json()["id"]
    assert review.json()["purpose"] == "review"
    quiz_body = {
        "answers": [
            {"question": pk, "answer": value}
            for pk, value in answers_for(type(quiz).objects.get(pk=review_id)).items()
        ]
    }
    assert client.post(f"{API}/{review_id}/attempts/", quiz_body).status_code == 201
    assert client.get(f"{API}/wrong-answers/").json()["count"] == 0
    assert Attempt.objects.get(quiz_id=review_id).purpose == Purpose.REVIEW
    empty = client.post(f"{API}/wrong-answers/review/", {})
    assert empty.status_code == 400
    assert "questions" in empty.json()


def test_a_review_of_questions_not_in_the_book_is_400(api_client):
    pupil = student()
    submit(pupil, QuizFactory(), wrong=(0,))
    response = as_(api_client, pupil).post(f"{API}/wrong-answers/review/", {"questions": [999999]})
    assert response.status_code == 400
    assert "999999" in str(response.json()["questions"])


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN, Role.GRADUATE])
def test_the_book_is_for_students(api_client, role):
    client = as_(api_client, UserFactory(role=role))
    assert client.get(f"{API}/wrong-answers/").status_code == 403
    assert client.post(f"{API}/wrong-answers/review/", {}).status_code == 403


def test_someone_elses_review_quiz_is_404(api_client):
    pupil = student()
    submit(pupil, QuizFactory(), wrong=(0,))
    review_id = as_(api_client, pupil).post(f"{API}/wrong-answers/review/", {}).json()["id"]
    other = as_(api_client, student())
    assert other.get(f"{API}/{review_id}/").status_code == 404
    assert other.post(f"{API}/{review_id}/attempts/", {"answers": []}).status_code == 404


# --- mounted under a sub-platform ----------------------------------------------------------------


@pytest.fixture
def k12_owner():
    register_quiz_owner(
        "tests.k12item",
        platform="k12",
        label="k12 item",
        may_view=lambda user, pk: True,
        page_url=lambda pk: None,
    )
    yield
    unregister_quiz_owner("tests.k12item")


@pytest.mark.urls("tests.classes.urls_mounted")
def test_the_vocational_mount_serves_only_vocational_quizzes(api_client, k12_owner):
    vocational = QuizFactory()
    k12 = QuizFactory(
        owner_ref="tests.k12item:1", questions=[QuestionFactory(kind="true_false", platform="k12")]
    )
    client = as_(api_client, student())
    response = client.post(f"/api/v1/vocational/quizzes/{vocational.pk}/attempts/", body(vocational))
    assert response.status_code == 201
    assert client.get(f"/api/v1/vocational/quizzes/{vocational.pk}/attempts/").json()["count"] == 1
    assert client.get(f"/api/v1/vocational/quizzes/{k12.pk}/").status_code == 404
    assert client.post(f"/api/v1/vocational/quizzes/{k12.pk}/attempts/", body(k12)).status_code == 404
    assert client.post(f"{API}/{k12.pk}/attempts/", body(k12)).status_code == 201
