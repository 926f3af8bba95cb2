import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from higher_ed import services
from higher_ed.catalogue import catalogue_token
from higher_ed.models import (
    AnomalyFlag,
    AnomalyKind,
    Course,
    CourseRun,
    CreditCourseFigure,
    CreditRecognition,
    CreditRecognitionFigure,
    DisciplineCategory,
    Enrollment,
    Platform,
    PlatformSwitch,
    RunStatus,
    SourceClick,
    UnitProgress,
)
from smartedu.accounts.models import Role
from smartedu.portal.selectors import HEADLINE_CACHE_KEY
from smartedu.stats.models import ObjectDailyView
from tests.factories import UserFactory
from tests.factories.higher_ed import (
    course,
    learner,
    ministry_admin,
    officer,
    platform,
    provincial_admin,
    specialty,
    university,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks and unique races of PostgreSQL",
)


# --- the platform switch -------------------------------------------------------------------------------


def test_a_switch_writes_the_platform_and_its_log_and_no_course_row(django_capture_on_commit_callbacks):
    for title in ("数据结构", "操作系统", "编译原理"):
        course(title, platform_code="xuetangx")
    admin = ministry_admin()
    before = catalogue_token()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        switched = services.platform_switch(
            platform=platform("xuetangx"), enabled=False, reason="  课程数据接口检修  ", by=admin
        )
    written = {
        match.group(2)
        for q in queries
        if (match := re.match(r'\s*(UPDATE|INSERT INTO|DELETE FROM) "(\w+)"', q["sql"], re.IGNORECASE))
    }
    # Search forgets (or queues, outside the tests' eager indexing) the documents of that platform's courses.
    index = {table for table in written if table.startswith("search_")}
    assert index <= {"search_searchdocument", "search_searchpending", "search_recommendation"}
    assert written - index == {"higher_ed_platform", "higher_ed_platformswitch", "higher_ed_cataloguestate"}
    assert switched.enabled is False
    log = PlatformSwitch.objects.get()
    assert (log.platform.code, log.enabled, log.reason, log.switched_by) == (
        "xuetangx",
        False,
        "课程数据接口检修",
        admin,
    )
    assert catalogue_token() != before
    assert Course.objects.visible().count() == 0
    assert Course.objects.filter(platform__code="xuetangx", listed=True).count() == 3


def test_switching_to_the_state_a_platform_is_in_logs_nothing():
    services.platform_switch(platform=platform(), enabled=True, reason="确认", by=ministry_admin())
    assert not PlatformSwitch.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_switch_needs_a_reason(reason):
    with pytest.raises(ValidationError) as caught:
        services.platform_switch(platform=platform(), enabled=False, reason=reason, by=ministry_admin())
    assert "reason" in caught.value.message_dict
    assert Platform.objects.get(code="icourse163").enabled


def test_a_reason_is_at_most_500_characters():
    with pytest.raises(ValidationError):
        services.platform_switch(platform=platform(), enabled=False, reason="长" * 501, by=ministry_admin())


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(role=Role.STUDENT),
        lambda: UserFactory(role=Role.TEACHER),
        lambda: UserFactory(role=Role.EMPLOYER, approved=True),
        lambda: officer(),
        lambda: provincial_admin("44"),
        lambda: UserFactory(role=Role.ADMIN, is_active=False),
    ],
)
def test_only_ministry_administrators_switch(make):
    with pytest.raises(PermissionDenied):
        services.platform_switch(platform=platform(), enabled=False, reason="试图关闭", by=make())
    assert not PlatformSwitch.objects.exists()


def test_a_switch_refreshes_the_home_page_figures_when_it_commits(django_capture_on_commit_callbacks):
    course()
    cache.set(HEADLINE_CACHE_KEY, {"higher_ed": {"courses": 999}}, 300)
    with django_capture_on_commit_callbacks(execute=True):
        services.platform_switch(platform=platform(), enabled=False, reason="检修", by=ministry_admin())
    assert cache.get(HEADLINE_CACHE_KEY)["higher_ed"]["courses"] == 0


# --- courses ---------------------------------------------------------------------------------------------


def test_course_create_keeps_search_text_video_time_and_run_statuses():
    made = course(
        "数据结构", units=(("第1讲 绪论", 1800, 1), ("第2讲 线性表", 2400, 2)), runs=("open", "archived")
    )
    made.refresh_from_db()
    assert made.total_video_seconds == 4200
    assert made.search_text.startswith("数据结构 | 北京大学")
    assert made.run_statuses == 0b101  # open and archived
    assert list(made.units.values_list("order", "quiz_count")) == [(1, 1), (2, 2)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"specialty_class": "0201"}, "specialty_class"),
        ({"credit": True, "credits": None}, "credits"),
        ({"source_url": "https://evil.example.org/course/1"}, "source_url"),
        ({"source_url": "http://www.icourse163.org/course/1"}, "source_url"),
        ({"source_url": "https://user:pw@www.icourse163.org/course/1"}, "source_url"),
        ({"source_url": "https://www.icourse163.org:8443/course/1"}, "source_url"),
        ({"languages": ()}, "languages"),
    ],
)
def test_course_create_refuses_inconsistent_courses(changes, field):
    data = {
        "title": "数据结构",
        "university": university(),
        "platform": platform(),
        "source_id": "X1",
        "category": DisciplineCategory.objects.get(code="08"),
        "specialty_class": specialty("0809"),
    }
    if "specialty_class" in changes:
        changes = {**changes, "specialty_class": specialty(changes["specialty_class"])}
    with pytest.raises(ValidationError) as caught:
        services.course_create(**{**data, **changes})
    assert field in caught.value.message_dict


def test_delisting_hides_a_course_and_changes_the_token():
    made = course()
    before = catalogue_token()
    assert services.courses_list_set(ids=[made.pk], listed=False) == 1
    assert not Course.objects.visible().exists()
    assert catalogue_token() != before


def test_run_statuses_move_with_the_dates():
    made = course(runs=("upcoming", "open"))
    upcoming = made.runs.get(status=RunStatus.UPCOMING)
    later = upcoming.start + timedelta(days=1)
    changed = services.run_statuses_refresh(today=later)
    assert changed >= 1
    upcoming.refresh_from_db()
    assert upcoming.status == RunStatus.OPEN
    made.refresh_from_db()
    assert made.run_statuses & 0b010 == 0  # no upcoming run left
    assert services.run_statuses_refresh(today=later) == 0


def test_hot_scores_count_views_and_enrolments_of_the_last_30_days():
    hot, cold = course("数据结构"), course("操作系统")
    today = timezone.localdate()
    ObjectDailyView.objects.create(
        day=today, kind="higher_ed.course", object_id=hot.pk, platform="higher_ed", views=40
    )
    ObjectDailyView.objects.create(
        day=today - timedelta(days=45),
        kind="higher_ed.course",
        object_id=cold.pk,
        platform="higher_ed",
        views=900,
    )
    services.enrollment_create(user=learner(), run=hot.runs.get())
    assert services.hot_scores_refresh(today=today) == 1
    hot.refresh_from_db()
    cold.refresh_from_db()
    assert (hot.hot_score, cold.hot_score) == (40 + services.ENROLMENT_WEIGHT, 0)
    assert services.hot_scores_refresh(today=today) == 0


# --- clicks to the source platform ---------------------------------------------------------------------


def test_a_click_is_counted_once_per_address_and_half_hour():
    made = course()
    assert services.source_click_record(course=made, client="203.0.113.9")
    assert not services.source_click_record(course=made, client="203.0.113.9")
    assert services.source_click_record(course=made, client="198.51.100.7")
    assert SourceClick.objects.get(course=made).clicks == 2


# --- enrolments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.GRADUATE])
def test_learners_enrol_once(role):
    made = course()
    user = learner(role)
    first, created = services.enrollment_create(user=user, run=made.runs.get())
    again, created_again = services.enrollment_create(user=user, run=made.runs.get())
    assert (created, created_again, again.pk) == (True, False, first.pk)
    made.refresh_from_db()
    assert made.enrollment_count == 1


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.OFFICER, Role.ADMIN])
def test_other_roles_do_not_enrol(role):
    with pytest.raises(PermissionDenied):
        services.enrollment_create(user=UserFactory(role=role, approved=True), run=course().runs.get())


def test_no_enrolment_in_an_archived_run_or_a_hidden_course():
    archived = course(runs=("archived",)).runs.get()
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(user=learner(), run=archived)
    assert "run" in caught.value.message_dict
    hidden = course(platform_code="xuetangx")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    with pytest.raises(ValidationError):
        services.enrollment_create(user=learner(), run=hidden.runs.get())


@pytest.mark.slow
@on_postgresql
def test_a_concurrent_double_enrolment_creates_one_row(committed_db):
    made = course()
    run = made.runs.get()
    user = learner()
    barrier = threading.Barrier(4)
    results: list = []

    def enrol():
        try:
            barrier.wait()
            results.append(services.enrollment_create(user=user, run=run))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Enrollment.objects.filter(user=user, run=run).count() == 1
    assert sorted(created for _e, created in results) == [False, False, False, True]
    assert len({e.pk for e, _c in results}) == 1
    made.refresh_from_db()
    assert made.enrollment_count == 1


# --- progress ----------------------------------------------------------------------------------------------


def _enrolled(home: str | None = None, **course_options):
    made = course(**course_options)
    enrollment, _created = services.enrollment_create(user=learner(home=home), run=made.runs.get())
    return made, enrollment


def test_progress_per_unit_then_completion_score_and_credit_recognition():
    made, enrollment = _enrolled(home="中山大学", credit=True, credits=Decimal("2.0"))
    first, second = made.units.order_by("order")
    enrollment = services.progress_record(
        enrollment=enrollment,
        data=services.ProgressInput(unit=first, video_percent=100, quizzes_done=1, quiz_score=80),
    )
    assert (enrollment.progress, enrollment.completed_at) == (50, None)
    enrollment = services.progress_record(
        enrollment=enrollment,
        data=services.ProgressInput(unit=second, video_percent=100, quizzes_done=2, quiz_score=90),
    )
    assert enrollment.progress == 100
    assert enrollment.completed_at is not None
    assert enrollment.score == 85
    recognition = CreditRecognition.objects.get(enrollment=enrollment)
    assert (recognition.offering_university.name, recognition.recognising_university.name) == (
        "北京大学",
        "中山大学",
    )
    assert recognition.credits == Decimal("2.0")


def test_progress_never_goes_back():
    made, enrollment = _enrolled()
    unit = made.units.order_by("order").first()
    services.progress_record(enrollment=enrollment, data=services.ProgressInput(unit=unit, video_percent=80))
    services.progress_record(enrollment=enrollment, data=services.ProgressInput(unit=unit, video_percent=20))
    assert UnitProgress.objects.get(enrollment=enrollment, unit=unit).video_percent == 80


def test_no_recognition_without_a_university_or_for_a_course_without_credits():
    made, enrollment = _enrolled()
    for unit in made.units.all():
        services.progress_record(
            enrollment=enrollment,
            data=services.ProgressInput(
                unit=unit, video_percent=100, quizzes_done=unit.quiz_count, quiz_score=70
            ),
        )
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    assert not CreditRecognition.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"video_percent": 101}, "video_percent"),
        ({"video_percent": -1}, "video_percent"),
        ({"video_percent": 50, "quizzes_done": 2}, "quizzes_done"),
        ({"video_percent": 50, "quiz_score": 120}, "quiz_score"),
    ],
)
def test_progress_out_of_range_is_refused(data, field):
    made, enrollment = _enrolled()
    unit = made.units.order_by("order").first()  # one quiz
    with pytest.raises(ValidationError) as caught:
        services.progress_record(enrollment=enrollment, data=services.ProgressInput(unit=unit, **data))
    assert field in caught.value.message_dict
    assert not UnitProgress.objects.exists()


def test_progress_in_another_course_or_a_closed_run_is_refused():
    _made, enrollment = _enrolled()
    other = course("操作系统").units.first()
    with pytest.raises(ValidationError) as caught:
        services.progress_record(
            enrollment=enrollment, data=services.ProgressInput(unit=other, video_percent=10)
        )
    assert "unit" in caught.value.message_dict
    CourseRun.objects.filter(pk=enrollment.run_id).update(status=RunStatus.ARCHIVED)
    enrollment.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.progress_record(
            enrollment=Enrollment.objects.select_related("run").get(pk=enrollment.pk),
            data=services.ProgressInput(unit=enrollment.course.units.first(), video_percent=10),
        )
    assert "run" in caught.value.message_dict


# --- the monitoring centre -------------------------------------------------------------------------------


def _complete(enrollment: Enrollment, *, enrolled_ago: timedelta, completed_at=None, score=80) -> None:
    now = completed_at or timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=now - enrolled_ago, completed_at=now, progress=100, score=score
    )


def test_monitoring_figures_recognitions_between_universities_and_both_anomalies():
    credit_course = course("数据结构", credit=True, units=(("第1讲 绪论", 3600, 1),))
    course("操作系统", credit=True, university_name="中山大学")
    free = course("编译原理")  # not a credit course: not monitored
    run = credit_course.runs.get()
    honest = learner(home="中山大学")
    fast = learner(home="中山大学")
    e1, _ = services.enrollment_create(user=honest, run=run)
    e2, _ = services.enrollment_create(user=fast, run=run)
    services.enrollment_create(user=learner(), run=run)
    services.enrollment_create(user=learner(), run=free.runs.get())
    _complete(e1, enrolled_ago=timedelta(days=20), score=90)
    _complete(e2, enrolled_ago=timedelta(minutes=20), score=70)  # 20 minutes for an hour of video
    for e in (e1, e2):
        CreditRecognition.objects.create(
            enrollment=e,
            offering_university=credit_course.university,
            recognising_university=university("中山大学"),
            credits=Decimal("2.0"),
        )
    # A bot completes five credit courses on one day, each in time.
    bot = learner()
    day = timezone.now().replace(hour=12, minute=0)
    for i in range(5):
        c = course(f"课程批量{i}", credit=True, units=(("第1讲", 600, 0),))
        e, _ = services.enrollment_create(user=bot, run=c.runs.get())
        _complete(e, enrolled_ago=timedelta(hours=2), completed_at=day + timedelta(minutes=i))

    result = services.monitoring_refresh()
    term = run.term
    pku = CreditCourseFigure.objects.get(term=term, platform__code="icourse163", university__name="北京大学")
    assert (pku.enrollments, pku.completions, pku.recognitions) == (3 + 5, 2 + 5, 2)
    assert pku.credit_courses == 1 + 5
    assert pku.score_total == 90 + 70 + 5 * 80
    sysu = CreditCourseFigure.objects.get(term=term, university__name="中山大学")
    assert (sysu.credit_courses, sysu.enrollments) == (1, 0)  # offered, no learner yet
    assert not CreditCourseFigure.objects.filter(university__name="北京大学", credit_courses=0).exists()
    pair = CreditRecognitionFigure.objects.get()
    assert (pair.offering_university.name, pair.recognising_university.name, pair.recognitions) == (
        "北京大学",
        "中山大学",
        2,
    )
    kinds = sorted(AnomalyFlag.objects.values_list("kind", flat=True))
    assert kinds == [AnomalyKind.FAST_COMPLETION] + [AnomalyKind.MANY_IN_A_DAY] * 5
    assert AnomalyFlag.objects.get(kind=AnomalyKind.FAST_COMPLETION).enrollment == e2
    assert pku.anomalies == 6
    assert result.anomalies == 6


def test_monitoring_refresh_replaces_its_tables():
    made = course(credit=True)
    services.enrollment_create(user=learner(), run=made.runs.get())
    services.monitoring_refresh()
    first = list(CreditCourseFigure.objects.values_list("term", "enrollments"))
    services.monitoring_refresh()
    assert list(CreditCourseFigure.objects.values_list("term", "enrollments")) == first
