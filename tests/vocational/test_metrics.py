"""The four rates (docs/metrics.md), computed from the records and stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartedu.classes import services as class_services
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Quiz
from tests.factories import vocational as f
from vocational import metrics, services, study
from vocational.models import CourseMetric, Item, StudyDay, StudyHeartbeat

pytestmark = pytest.mark.django_db


def _course(students=2):
    copy, klass, members = f.published_copy(source=f.standard_course(units=1, items=2), students=students)
    items = list(Item.objects.filter(unit__course=copy).select_related("unit", "resource").order_by("order"))
    return copy, klass, members, items


def _overall(course, start, end):
    rows = metrics.course_metrics_compute(course=course, start=start, end=end)
    return rows[0]


def test_rates_are_none_without_records_and_change_as_the_docs_say():
    copy, _klass, (a, b), items = _course()
    today = timezone.localdate()
    start = today - timedelta(days=6)
    row = _overall(copy, start, today)
    assert (row.mastery, row.response) == (None, None)
    assert (row.interaction, row.activity, row.students) == (0, 0, 2)

    # a answers both questions of the first item right: 2 knowledge points, both mastered
    quiz = Quiz.objects.get(owner_kind="vocational.resource", owner_id=items[0].resource_id)
    right = {qq.question_id: qq.question.answer for qq in quiz.quiz_questions.select_related("question")}
    quiz_services.attempt_submit(student=a, quiz=quiz, answers=right)
    # b answers one right, one wrong: 1 of 2 mastered
    wrong = dict(right)
    wrong[next(iter(wrong))] = "B"
    quiz_services.attempt_submit(student=b, quiz=quiz, answers=wrong)
    row = _overall(copy, start, today)
    assert row.mastery == pytest.approx(3 / 4)
    assert row.activity == 1.0  # both active on one day of a 7-day period (1 day needed)

    # b asks; the teacher answers at once: interaction 1/2, response 1/1
    question, _ = services.question_ask(user=b, course=copy, body="问题")
    services.question_reply(user=copy.owner, question=question, body="回答")
    row = _overall(copy, start, today)
    assert row.interaction == pytest.approx(1 / 2)
    assert row.response == 1.0

    # a question unanswered for more than 24 h counts against the response rate; a fresh one does not yet
    services.question_ask(user=a, course=copy, body="没人回答", now=timezone.now() - timedelta(days=2))
    services.question_ask(user=a, course=copy, body="刚问的")
    row = _overall(copy, start, today)
    assert row.response == pytest.approx(1 / 2)
    assert row.interaction == 1.0


def test_in_class_test_counts_as_interaction_and_activity_needs_days():
    copy, klass, (a, b), items = _course()
    today = timezone.localdate()
    now = timezone.now()
    test = services.class_test_create(
        user=copy.owner,
        resource=items[0].resource,
        klass=klass,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=1),
    )
    answers = {qq.question_id: qq.question.answer for qq in test.quiz_questions.select_related("question")}
    quiz_services.attempt_submit(student=a, quiz=test, answers=answers)
    # 14 days: active on at least 2 days; b studied on two days, a only today (the test)
    study.study_day_add(student_id=b.pk, item=items[0], day=today, seconds=600)
    study.study_day_add(student_id=b.pk, item=items[1], day=today - timedelta(days=3), seconds=300)
    rows = metrics.course_metrics_compute(course=copy, start=today - timedelta(days=13), end=today)
    overall = rows[0]
    assert overall.interaction == pytest.approx(1 / 2)
    assert overall.activity == pytest.approx(1 / 2)
    per_student = {r.student_id: r for r in rows if r.student_id}
    assert per_student[b.pk].activity == 1.0
    assert per_student[a.pk].activity == 0.0
    assert [r.klass_id for r in rows if r.klass_id] == [klass.pk]


def test_stored_rows_are_replaced_not_added():
    copy, _klass, _members, _items = _course()
    today = timezone.localdate()
    metrics.course_metrics_compute(course=copy, start=today, end=today)
    metrics.course_metrics_compute(course=copy, start=today, end=today)
    assert CourseMetric.objects.filter(course=copy, start=today, end=today).count() == 1 + 1 + 2


def test_heartbeats_are_buffered_and_folded_once(settings):
    _copy, _klass, (a, _b), items = _course()
    assert study.heartbeat_record(student_id=a.pk, item=items[0])
    assert not study.heartbeat_record(student_id=a.pk, item=items[0])  # too soon: not counted
    assert study.heartbeat_record(student_id=a.pk, item=items[1])
    assert not StudyDay.objects.exists()  # buffered, no study row written yet
    assert study.study_flush() == 2
    assert study.study_flush() == 0
    assert sorted(StudyDay.objects.values_list("seconds", flat=True)) == [30, 30]
    assert not StudyHeartbeat.objects.exists()


def test_a_student_in_two_classes_counts_once():
    copy, _klass, (a,), _items = _course(students=1)
    other = class_services.class_create(teacher=copy.owner, name="软件技术2402班", platform="vocational")
    services.course_publish(user=copy.owner, course=copy, klass=other)
    class_services.class_join(user=a, code=other.code)
    rows = metrics.course_metrics_compute(course=copy, start=timezone.localdate(), end=timezone.localdate())
    assert rows[0].students == 1
    assert len([r for r in rows if r.klass_id]) == 2


def test_a_heartbeat_of_a_deleted_course_is_dropped_not_poison():
    copy, _klass, (a, _b), items = _course()
    study.heartbeat_record(student_id=a.pk, item=items[0])
    services.course_delete(user=copy.owner, course=copy)
    assert study.study_flush() == 0
    assert study.study_flush() == 0
    assert not StudyDay.objects.exists()


@pytest.mark.skipif(not study._redis(), reason="the Redis buffer exists in production mode")
def test_a_redis_batch_applied_before_a_crash_is_not_applied_again():
    _copy, _klass, (a, _b), items = _course()
    study.heartbeat_record(student_id=a.pk, item=items[0])
    client = study._redis()
    client.rename(study.OPEN_KEY, f"{study.PREFIX}:batch:crashed")
    # the crashed flush had committed this batch but not deleted its key
    from vocational.models import StudyBatch

    StudyBatch.objects.create(batch_id="crashed")
    assert study.study_flush() == 0
    assert not StudyDay.objects.exists()
    assert not list(client.scan_iter(f"{study.PREFIX}:batch:*"))
