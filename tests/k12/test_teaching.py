"""Teachers on K-12: the teacher view of a lesson, homework through the shared question engine, preparation
plans, classroom mode and the teacher's own page — with every role's forbidden case."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from k12 import services
from k12.models import PrepItem, PrepPlan
from smartedu.accounts.models import Role
from smartedu.quizzes import selectors as quiz_selectors
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Purpose, Quiz
from tests.factories import UserFactory
from tests.factories.k12 import ETextbookFactory, ResourceFactory, lesson_with_exercises
from tests.factories.learning import ClassFactory, join, student, teacher

pytestmark = pytest.mark.django_db


def _due(days: int = 3):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def lesson_set():
    lesson, questions = lesson_with_exercises()
    t = teacher(institution="北京市第一中学")
    klass = ClassFactory(teacher=t, platform="k12", name="七年级（3）班")
    pupil = student()
    join(pupil, klass)
    return lesson, questions, t, klass, pupil


# --- Homework -----------------------------------------------------------------------------------


def test_homework_of_a_subset_is_a_class_quiz_that_the_student_answers_once(lesson_set):
    lesson, questions, t, klass, pupil = lesson_set
    quiz, created = services.homework_assign(
        teacher=t,
        lesson=lesson,
        class_id=klass.pk,
        due_at=_due(),
        question_ids=[questions[0].pk, questions[2].pk],
    )
    assert created
    assert quiz.purpose == Purpose.HOMEWORK
    assert quiz.klass == klass
    assert quiz.owner_kind == "k12.lesson"
    assert quiz.owner_id == lesson.pk
    rows = quiz_selectors.quiz_questions(quiz=quiz)
    assert [r.external_ref for r in rows] == [
        f"k12.question:{questions[0].pk}",
        f"k12.question:{questions[2].pk}",
    ]
    assert [r.kind for r in rows] == ["single", "fill_in"]

    attempt, _ = quiz_services.attempt_submit(
        student=pupil, quiz=quiz, answers={rows[0].pk: "A", rows[1].pk: "七"}
    )
    assert attempt.score == 50
    results = quiz_selectors.quiz_results(quiz=quiz)
    assert [q.wrong for q in results.questions] == [1, 0]
    assert results.most_missed[0].question == rows[0]
    assert results.missing == []


def test_the_same_assignment_twice_is_one_homework_and_reuses_the_bank_rows(lesson_set):
    lesson, _questions, t, klass, _ = lesson_set
    due = _due()
    first, created = services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=due)
    again, created_again = services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=due)
    assert created
    assert not created_again
    assert first == again
    other, _ = services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=_due(5))
    assert other != first
    assert [q.pk for q in quiz_selectors.quiz_questions(quiz=other)] == [
        q.pk for q in quiz_selectors.quiz_questions(quiz=first)
    ]


def test_homework_rejects_another_teachers_class_and_non_teachers(lesson_set):
    lesson, _questions, t, klass, pupil = lesson_set
    colleague = teacher(institution="北京市第一中学")
    with pytest.raises(Http404):
        services.homework_assign(teacher=colleague, lesson=lesson, class_id=klass.pk, due_at=_due())
    vocational = ClassFactory(teacher=t, platform="vocational")
    with pytest.raises(Http404):
        services.homework_assign(teacher=t, lesson=lesson, class_id=vocational.pk, due_at=_due())
    for user in (pupil, UserFactory(role=Role.PARENT)):
        with pytest.raises(PermissionDenied):
            services.homework_assign(teacher=user, lesson=lesson, class_id=klass.pk, due_at=_due())
    assert not Quiz.objects.filter(purpose=Purpose.HOMEWORK).exists()


def test_homework_bad_input_names_the_field(lesson_set):
    lesson, _questions, t, klass, _ = lesson_set
    _other_lesson, other_questions = lesson_with_exercises()
    with pytest.raises(ValidationError) as exc:
        services.homework_assign(
            teacher=t, lesson=lesson, class_id=klass.pk, due_at=_due(), question_ids=[other_questions[0].pk]
        )
    assert "questions" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.homework_assign(
            teacher=t, lesson=lesson, class_id=klass.pk, due_at=timezone.now() - timedelta(hours=1)
        )
    assert "due_at" in exc.value.message_dict


# --- Pages: the teacher view, homework, the teacher's page, the student's page -------------------


def test_a_teacher_sees_answers_explanations_and_the_homework_form_a_student_does_not(client, lesson_set):
    lesson, questions, t, _klass, pupil = lesson_set
    client.force_login(t)
    page = client.get(reverse("k12:lesson", args=[lesson.pk])).content.decode()
    assert 'id="teacher"' in page
    assert questions[0].explanation in page
    assert reverse("k12:homework-assign", args=[lesson.pk]) in page
    assert "<details open>" in page  # the teaching design expanded
    client.force_login(pupil)
    page = client.get(reverse("k12:lesson", args=[lesson.pk])).content.decode()
    assert 'id="teacher"' not in page
    assert questions[0].explanation not in page


def test_homework_set_through_the_page_then_seen_by_student_and_reviewed(client, lesson_set):
    lesson, questions, t, klass, pupil = lesson_set
    client.force_login(t)
    due = timezone.localtime(_due()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("k12:homework-assign", args=[lesson.pk]),
        {"klass": klass.pk, "due_at": due, "questions": [q.pk for q in questions]},
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get(purpose=Purpose.HOMEWORK)
    client.post(  # a double click
        reverse("k12:homework-assign", args=[lesson.pk]),
        {"klass": klass.pk, "due_at": due, "questions": [q.pk for q in questions]},
    )
    assert Quiz.objects.filter(purpose=Purpose.HOMEWORK).count() == 1

    client.force_login(pupil)
    page = client.get(reverse("k12:my-learning")).content.decode()
    assert quiz.title in page
    assert due.replace("T", " ") in page

    client.force_login(t)
    page = client.get(reverse("k12:my-learning")).content.decode()
    assert (
        "0 of 1 submitted" in page
        or "1 人中 0 人已提交" in page
        or reverse("quizzes:results", args=[quiz.pk]) in page
    )
    assert reverse("quizzes:results", args=[quiz.pk]) in page


def test_homework_page_bad_input_is_400_naming_the_field(client, lesson_set):
    lesson, _questions, t, klass, _ = lesson_set
    client.force_login(t)
    response = client.post(
        reverse("k12:homework-assign", args=[lesson.pk]), {"klass": klass.pk, "due_at": "soon"}
    )
    assert response.status_code == 400
    assert response.context["homework_form"].errors.keys() >= {"due_at", "questions"}


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.GRADUATE])
def test_non_teachers_may_not_set_homework_or_open_teaching_pages(client, lesson_set, role):
    lesson, questions, _t, klass, _ = lesson_set
    client.force_login(UserFactory(role=role))
    due = timezone.localtime(_due()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("k12:homework-assign", args=[lesson.pk]),
        {"klass": klass.pk, "due_at": due, "questions": [questions[0].pk]},
    )
    assert response.status_code == 403
    assert client.get(reverse("k12:teaching")).status_code == 403
    assert client.post(reverse("k12:plan-create"), {"title": "x"}).status_code == 403


def test_another_teachers_class_is_refused_on_the_page(client, lesson_set):
    lesson, questions, _t, klass, _ = lesson_set
    client.force_login(teacher())
    due = timezone.localtime(_due()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("k12:homework-assign", args=[lesson.pk]),
        {"klass": klass.pk, "due_at": due, "questions": [questions[0].pk]},
    )
    assert response.status_code == 400  # not one of the choices offered
    assert not Quiz.objects.exists()


def test_homework_results_are_the_class_teachers_only(client, lesson_set):
    lesson, _questions, t, klass, pupil = lesson_set
    quiz, _ = services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=_due())
    client.force_login(t)
    assert client.get(reverse("quizzes:results", args=[quiz.pk])).status_code == 200
    for user in (teacher(institution="北京市第一中学"), pupil, UserFactory(role=Role.PARENT)):
        client.force_login(user)
        assert client.get(reverse("quizzes:results", args=[quiz.pk])).status_code == 404
    outsider = student()
    client.force_login(outsider)
    assert client.get(reverse("quizzes:detail", args=[quiz.pk])).status_code == 404


def test_teacher_page_lists_in_fixed_queries(client, lesson_set, django_assert_max_num_queries):
    lesson, _questions, t, klass, _ = lesson_set
    for days in range(1, 6):
        services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=_due(days))
        services.prep_plan_create(teacher=t, title=f"备课{days}")
    client.force_login(t)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("k12:teaching"))
    assert response.status_code == 200


# --- Preparation plans --------------------------------------------------------------------------


def test_a_plan_collects_hours_resources_and_pages_in_order_and_moves_them(lesson_set):
    lesson, _questions, t, klass, _ = lesson_set
    plan = services.prep_plan_create(teacher=t, title="第3课 备课", class_id=klass.pk, notes="重点：负数")
    hour = lesson.hours.first()
    resource = ResourceFactory()
    book = ETextbookFactory(page_count=40)
    a, _ = services.prep_item_add(teacher=t, plan=plan, hour=hour)
    b, _ = services.prep_item_add(teacher=t, plan=plan, resource=resource)
    c, _ = services.prep_item_add(teacher=t, plan=plan, etextbook=book, first_page=3, last_page=5)
    again, created = services.prep_item_add(teacher=t, plan=plan, hour=hour)
    assert again == a
    assert not created
    services.prep_item_move(teacher=t, item_id=c.pk, offset=-2)
    assert list(plan.items.order_by("order").values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    with pytest.raises(ValidationError) as exc:
        services.prep_item_add(teacher=t, plan=plan, etextbook=book, first_page=30, last_page=50)
    assert "first_page" in exc.value.message_dict


def test_plans_are_private_unless_shared_and_then_only_with_colleagues(client, lesson_set):
    lesson, _questions, t, _klass, pupil = lesson_set
    plan = services.prep_plan_create(teacher=t, title="私有备课")
    services.prep_item_add(teacher=t, plan=plan, hour=lesson.hours.first())
    colleague = teacher(institution="北京市第一中学")
    stranger = teacher(institution="上海市实验学校")
    client.force_login(colleague)
    assert client.get(reverse("k12:plan", args=[plan.pk])).status_code == 404
    assert client.post(reverse("k12:plan-copy", args=[plan.pk])).status_code == 404

    services.prep_plan_update(teacher=t, plan=plan, is_shared=True)
    assert client.get(reverse("k12:plan", args=[plan.pk])).status_code == 200
    response = client.post(reverse("k12:plan-copy", args=[plan.pk]))
    copy = PrepPlan.objects.get(owner=colleague)
    assert response.status_code == 302
    assert copy.copied_from == plan
    assert copy.items.count() == 1
    # a reader may not change the original
    item = plan.items.get()
    assert (
        client.post(reverse("k12:plan-item", args=[plan.pk, item.pk]), {"action": "remove"}).status_code
        == 404
    )
    assert client.post(reverse("k12:plan", args=[plan.pk]), {"title": "改"}).status_code == 404
    assert client.post(reverse("k12:plan-delete", args=[plan.pk])).status_code == 404
    assert PrepItem.objects.filter(pk=item.pk).exists()

    for user in (stranger,):
        client.force_login(user)
        assert client.get(reverse("k12:plan", args=[plan.pk])).status_code == 404
    client.force_login(pupil)
    assert client.get(reverse("k12:plan", args=[plan.pk])).status_code == 403


def test_plan_owner_edits_notes_reorders_and_deletes_through_pages(client, lesson_set):
    lesson, _questions, t, _klass, _ = lesson_set
    plan = services.prep_plan_create(teacher=t, title="第3课")
    client.force_login(t)
    response = client.post(
        reverse("k12:lesson-to-plan", args=[lesson.pk]),
        {"plan": plan.pk, "hours": [h.pk for h in lesson.hours.all()]},
    )
    assert response.status_code == 302
    first, second = plan.items.order_by("order")
    client.post(reverse("k12:plan-item", args=[plan.pk, second.pk]), {"action": "up"})
    client.post(reverse("k12:plan-item", args=[plan.pk, second.pk]), {"action": "note", "note": "先看视频"})
    assert list(plan.items.order_by("order").values_list("pk", "note")) == [
        (second.pk, "先看视频"),
        (first.pk, ""),
    ]
    response = client.post(reverse("k12:plan", args=[plan.pk]), {"title": "", "notes": "x"})
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert client.post(reverse("k12:plan-delete", args=[plan.pk])).status_code == 302
    assert not PrepPlan.objects.filter(pk=plan.pk).exists()


# --- Classroom mode -----------------------------------------------------------------------------


def test_classroom_mode_is_one_step_per_page_with_answers_for_teachers_only(client, lesson_set):
    lesson, questions, t, _klass, pupil = lesson_set
    # two hours with task sheets (no videos in tests), then three exercises
    url = reverse("k12:classroom-step", args=[lesson.pk, 3])
    client.force_login(t)
    page = client.get(url).content.decode()
    assert questions[0].prompt in page
    assert 'rel="next"' in page
    assert 'rel="prev"' in page
    assert "k12/classroom.js" in page
    assert questions[0].explanation in page
    last = client.get(reverse("k12:classroom-step", args=[lesson.pk, 5])).content.decode()
    assert 'rel="next"' not in last
    assert client.get(reverse("k12:classroom-step", args=[lesson.pk, 6])).status_code == 404
    client.force_login(pupil)
    page = client.get(url).content.decode()
    assert questions[0].prompt in page
    assert questions[0].explanation not in page


def test_another_teachers_plan_or_item_cannot_be_reached_through_ones_own(client, lesson_set):
    lesson, _questions, t, _klass, _ = lesson_set
    mine = services.prep_plan_create(teacher=t, title="我的备课")
    other_teacher = teacher(institution="北京市第一中学")
    theirs = services.prep_plan_create(teacher=other_teacher, title="别人的备课", is_shared=True)
    their_item, _ = services.prep_item_add(teacher=other_teacher, plan=theirs, hour=lesson.hours.first())
    resource = ResourceFactory()
    client.force_login(t)
    # an item of their plan through the address of mine
    response = client.post(reverse("k12:plan-item", args=[mine.pk, their_item.pk]), {"action": "remove"})
    assert response.status_code == 404
    assert PrepItem.objects.filter(pk=their_item.pk).exists()
    # adding to their (shared, so readable) plan is still refused
    assert (
        client.post(reverse("k12:resource-to-plan", args=[resource.pk]), {"plan": theirs.pk}).status_code
        == 404
    )
    response = client.post(
        reverse("k12:lesson-to-plan", args=[lesson.pk]),
        {"plan": theirs.pk, "hours": [lesson.hours.first().pk]},
    )
    assert response.status_code == 400
    assert theirs.items.count() == 1
    assert client.post(reverse("k12:resource-to-plan", args=[resource.pk]), {"plan": "x"}).status_code == 404
    assert (
        client.post(reverse("k12:resource-to-plan", args=[resource.pk]), {"plan": mine.pk}).status_code == 302
    )
    assert mine.items.get().resource == resource


def test_bad_item_actions_answer_without_a_500(client, lesson_set):
    lesson, _questions, t, _klass, _ = lesson_set
    plan = services.prep_plan_create(teacher=t, title="备课")
    item, _ = services.prep_item_add(teacher=t, plan=plan, hour=lesson.hours.first())
    client.force_login(t)
    response = client.post(reverse("k12:plan-item", args=[plan.pk, item.pk]), {"action": "explode"})
    assert response.status_code == 303
    response = client.post(
        reverse("k12:plan-item", args=[plan.pk, item.pk]), {"action": "note", "note": "长" * 501}
    )
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.note == ""


def test_student_learning_page_and_plan_page_read_in_fixed_queries(
    client, lesson_set, django_assert_max_num_queries
):
    lesson, _questions, t, klass, pupil = lesson_set
    plan = services.prep_plan_create(teacher=t, title="备课")
    for days in range(1, 6):
        services.homework_assign(teacher=t, lesson=lesson, class_id=klass.pk, due_at=_due(days))
    for hour in lesson.hours.all():
        services.prep_item_add(teacher=t, plan=plan, hour=hour)
    services.prep_item_add(teacher=t, plan=plan, resource=ResourceFactory())
    services.prep_item_add(teacher=t, plan=plan, etextbook=ETextbookFactory(page_count=20), first_page=2)
    client.force_login(pupil)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("k12:my-learning")).content.decode()
    assert len(re.findall(r'href="/quizzes/\d+/"', page)) == 5
    client.force_login(t)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("k12:plan", args=[plan.pk])).content.decode()
    assert page.count('<li id="item-') == 4
