"""The quiz panel (no-JS form, graded result), the quiz pages, results and the wrong-answer book."""

import re

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from smartedu.accounts.models import Role
from smartedu.portal.registry import nav_links_for
from smartedu.quizzes.models import Attempt, Purpose, Quiz
from tests.factories import UserFactory
from tests.factories.learning import (
    QuizFactory,
    admin,
    answers_for,
    class_with_students,
    student,
    submit,
    teacher,
)

pytestmark = pytest.mark.django_db


def form_data(quiz, *, wrong=(), token="tok-1", next_url=""):
    data = {"client_token": token, "next": next_url}
    for question_id, value in answers_for(quiz, wrong=wrong).items():
        data[f"q{question_id}"] = value.split(",") if "," in value else value
    return data


def render_panel(quiz, user, path="/vocational/items/1/"):
    request = RequestFactory().get(path)
    request.user = user
    return Template("{% load quizzes %}{% quiz_panel quiz heading=3 %}").render(
        RequestContext(request, {"quiz": quiz})
    )


# --- the panel ----------------------------------------------------------------------------------


def test_a_student_gets_a_no_js_form_without_answers():
    quiz = QuizFactory()
    html = render_panel(quiz, student())
    assert f'action="{reverse("quizzes:submit", args=[quiz.pk])}"' in html
    assert 'type="radio"' in html
    assert 'type="checkbox"' in html  # multiple choice
    assert 'type="text"' in html  # fill-in
    assert "<script" not in html
    assert 'name="next" value="/vocational/items/1/"' in html
    assert re.search(r'name="client_token" value="[0-9a-f]{32}"', html)
    assert "<h3" in html
    assert "太阳能和风能可以不断再生" not in html  # no explanation before submitting
    assert "正确答案：" not in html


def test_after_submitting_the_panel_shows_the_graded_result_and_explanations():
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz, wrong=(1,))
    html = render_panel(quiz, pupil)
    assert "得分：75" in html
    assert "太阳能和风能可以不断再生" in html
    assert "正确答案：" in html
    assert "A. 太阳能；C. 风能" in html
    assert "再做一次" in html  # practice may be repeated


def test_a_class_test_is_answered_once():
    klass, (member,) = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    submit(member, quiz)
    html = render_panel(quiz, member)
    assert "得分：100" in html
    assert 'name="client_token"' not in html


def test_visitors_and_other_roles_read_questions_only():
    quiz = QuizFactory()
    from django.contrib.auth.models import AnonymousUser

    anonymous = render_panel(quiz, AnonymousUser())
    assert "请以学生身份登录后作答" in anonymous
    assert "<form" not in anonymous
    officer = render_panel(quiz, UserFactory(role=Role.OFFICER, approved=True))
    assert "只有学生可以提交答案" in officer
    assert "<form" not in officer


def test_the_class_teacher_sees_the_answers_and_a_results_link():
    klass, _ = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)
    html = render_panel(quiz, klass.teacher)
    assert "答案：" in html
    assert "太阳能和风能可以不断再生" in html
    assert reverse("quizzes:results", args=[quiz.pk]) in html


def test_true_false_reads_in_chinese():
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz, wrong=(2,))
    html = render_panel(quiz, pupil)
    assert "你的答案： 错误" in html
    assert "正确答案： 正确" in html
    assert "✗ 答错" in html
    assert ">true<" not in html


def test_panel_query_count_is_fixed(django_assert_num_queries):
    quiz = QuizFactory()
    pupil = student()
    submit(pupil, quiz)
    with django_assert_num_queries(4):  # questions, knowledge points, latest attempt, its answers
        render_panel(quiz, pupil)


# --- submitting through the page ------------------------------------------------------------------


def test_submitting_redirects_back_to_the_page_that_included_the_quiz(client):
    quiz = QuizFactory()
    client.force_login(student())
    response = client.post(
        reverse("quizzes:submit", args=[quiz.pk]), form_data(quiz, next_url="/vocational/items/1/?tab=2#top")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/vocational/items/1/?tab=2#quiz-{quiz.pk}"
    assert Attempt.objects.get().score == 100


def test_an_off_site_next_is_ignored(client):
    quiz = QuizFactory()
    client.force_login(student())
    response = client.post(
        reverse("quizzes:submit", args=[quiz.pk]), form_data(quiz, next_url="https://evil.example/")
    )
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])


def test_a_double_submitted_form_is_one_attempt(client):
    quiz = QuizFactory()
    client.force_login(student())
    url = reverse("quizzes:submit", args=[quiz.pk])
    client.post(url, form_data(quiz, token="same"))
    response = client.post(url, form_data(quiz, token="same"), follow=True)
    assert Attempt.objects.count() == 1
    assert "这份答案已经提交过了" in response.content.decode()


def test_an_incomplete_form_is_400_with_errors(client):
    quiz = QuizFactory()
    client.force_login(student())
    data = form_data(quiz)
    first_question = next(iter(answers_for(quiz)))
    del data[f"q{first_question}"]
    response = client.post(reverse("quizzes:submit", args=[quiz.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="errorlist"' in body
    assert 'aria-invalid="true"' in body or "aria-describedby" in body
    assert not Attempt.objects.exists()


def test_an_impossible_value_is_400(client):
    quiz = QuizFactory()
    client.force_login(student())
    data = form_data(quiz)
    first_question = next(iter(answers_for(quiz)))
    data[f"q{first_question}"] = "Z"
    response = client.post(reverse("quizzes:submit", args=[quiz.pk]), data)
    assert response.status_code == 400
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("teacher", 403), ("outsider", 404), ("member", 302)])
def test_submitting_a_class_test_per_role(client, who, status):
    klass, (member,) = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass)
    users = {"teacher": klass.teacher, "outsider": student(), "member": member}
    client.force_login(users[who])
    assert client.post(reverse("quizzes:submit", args=[quiz.pk]), form_data(quiz)).status_code == status
    assert Attempt.objects.count() == (1 if status == 302 else 0)


def test_anonymous_submissions_go_to_login(client):
    quiz = QuizFactory()
    response = client.post(reverse("quizzes:submit", args=[quiz.pk]), form_data(quiz))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Attempt.objects.exists()


def test_the_quiz_page(client, django_assert_num_queries):
    quiz = QuizFactory(title="数控车削随堂练习")
    pupil = student()
    client.force_login(pupil)
    client.get(reverse("quizzes:detail", args=[quiz.pk]))
    with django_assert_num_queries(6):  # session, user, quiz, questions, knowledge points, latest attempt
        response = client.get(reverse("quizzes:detail", args=[quiz.pk]))
    assert "数控车削随堂练习" in response.content.decode()


# --- attempt and results pages -------------------------------------------------------------------


def test_an_attempt_page_is_for_its_student_and_the_quiz_teacher(client):
    klass, (member,) = class_with_students(1)
    quiz = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass)
    attempt = submit(member, quiz, wrong=(0,))
    url = reverse("quizzes:attempt", args=[attempt.pk])
    for user, status in (
        (member, 200),
        (klass.teacher, 200),
        (admin(), 200),
        (student(), 404),
        (teacher(), 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status


def test_the_results_page(client, django_assert_num_queries):
    klass, (a, b, c) = class_with_students(3)
    homework = QuizFactory(purpose=Purpose.HOMEWORK, klass=klass, title="第一章作业")
    submit(a, homework, wrong=(1,))
    submit(b, homework)
    client.force_login(klass.teacher)
    url = reverse("quizzes:results", args=[homework.pk])
    client.get(url)
    with django_assert_num_queries(9):  # session, user, quiz with class + the six of quiz_results
        response = client.get(url)
    body = response.content.decode()
    assert "已提交 2 人，共 3 人" in body
    assert c.username in body
    assert "错误率最高的题目" in body
    for intruder in (a, teacher(), student()):
        client.force_login(intruder)
        assert client.get(url).status_code == 404


# --- the wrong-answer book -----------------------------------------------------------------------


def test_the_wrong_answer_book_page_and_its_review(client, django_assert_num_queries):
    pupil = student()
    quiz = QuizFactory()
    submit(pupil, quiz, wrong=(0, 2))
    client.force_login(pupil)
    url = reverse("quizzes:wrong-answers")
    client.get(url)
    with django_assert_num_queries(4):  # session, user, count, page
        response = client.get(url)
    body = response.content.decode()
    assert "错题本" in body
    assert "数控车床主轴转速的常用单位是？" in body
    assert "主轴转速用每分钟转数" in body
    response = client.post(reverse("quizzes:review-start"), {})
    review = Quiz.objects.get(purpose=Purpose.REVIEW)
    assert response["Location"] == reverse("quizzes:detail", args=[review.pk])
    assert review.quiz_questions.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "返回错题本" in page


def test_reviewing_chosen_questions(client):
    pupil = student()
    quiz = QuizFactory()
    submit(pupil, quiz, wrong=(0, 2))
    chosen = [qq.question_id for qq in quiz.quiz_questions.order_by("order")][2]
    client.force_login(pupil)
    client.post(reverse("quizzes:review-start"), {"questions": [chosen]})
    review = Quiz.objects.get(purpose=Purpose.REVIEW)
    assert [qq.question_id for qq in review.quiz_questions.all()] == [chosen]


def test_an_empty_book_cannot_be_reviewed(client):
    client.force_login(student())
    response = client.post(reverse("quizzes:review-start"), {}, follow=True)
    assert "你的错题本是空的" in response.content.decode()
    assert not Quiz.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN, Role.GRADUATE])
def test_the_book_is_a_students_page(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("quizzes:wrong-answers")).status_code == 403
    assert client.post(reverse("quizzes:review-start")).status_code == 403
    assert "wrong-answers" not in {link.key for link in nav_links_for(user)}


def test_students_have_the_book_in_their_menu(client):
    pupil = student()
    assert "wrong-answers" in {link.key for link in nav_links_for(pupil)}
    client.force_login(pupil)
    assert client.get(reverse("quizzes:wrong-answers")).status_code == 200
