"""The catalogue and course pages keep what is the same for every visitor in cached blocks
(smartedu/portal/fragments.py): a second request runs fewer queries, and a change shows at once."""

import pytest
from django.utils import timezone

from higher_ed import services
from higher_ed.models import CourseRun, Teacher
from tests.factories.higher_ed import course, teacher
from tests.pages import get_counted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]

LANGUAGES = ("", "/en")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_catalogue_reads_nothing_the_second_time(client, django_assert_num_queries, prefix):
    course("数据结构", teachers=(teacher("张老师"),))
    path = f"{prefix}/higher-ed/?category=08&credit=false"
    first, _n = get_counted(client, path)
    with django_assert_num_queries(0):  # the block holds the whole body: no validation, no token
        second = client.get(path)
    assert second.content == first.content
    assert "数据结构" in second.text


def test_an_address_that_does_not_validate_is_answered_400_and_never_kept(client):
    from smartedu.portal import fragments

    course("数据结构")
    assert client.get("/higher-ed/?category=08").status_code == 200
    held = len(fragments._local._copies)  # the header and that address's body
    for _ in range(2):
        response = client.get("/higher-ed/?category=99")
        assert response.status_code == 400
        assert "99" in response.text
    assert len(fragments._local._copies) == held


def test_a_new_course_shows_at_once_in_each_language(client, django_capture_on_commit_callbacks):
    course("数据结构")
    for prefix in LANGUAGES:
        assert "操作系统" not in client.get(f"{prefix}/higher-ed/").text
    with django_capture_on_commit_callbacks(execute=True):
        course("操作系统")  # through services.course_create
    for prefix in LANGUAGES:
        assert "操作系统" in client.get(f"{prefix}/higher-ed/").text


def test_a_delisted_course_leaves_the_catalogue_at_once(client, django_capture_on_commit_callbacks):
    kept, gone = course("数据结构"), course("编译原理")
    assert "编译原理" in client.get("/higher-ed/").text
    with django_capture_on_commit_callbacks(execute=True):
        services.courses_list_set(ids=[gone.pk], listed=False)
    text = client.get("/higher-ed/").text
    assert "编译原理" not in text
    assert kept.title in text


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_course_page_reads_less_the_second_time(client, prefix):
    the_course = course("数据结构", teachers=(teacher("张老师"),))
    path = f"{prefix}/higher-ed/courses/{the_course.pk}/"
    first, first_queries = get_counted(client, path)
    second, second_queries = get_counted(client, path)
    assert second_queries == 0  # the course and its runs, teachers, syllabus and similar courses are cached
    assert first_queries == 5
    assert second.content == first.content
    assert "张老师" in second.text
    assert "第1讲 绪论" in second.text


def test_a_renamed_teacher_shows_at_once_on_the_course_page(client, django_capture_on_commit_callbacks):
    the_course = course("数据结构", teachers=(teacher("张老师"),))
    paths = [f"{prefix}/higher-ed/courses/{the_course.pk}/" for prefix in LANGUAGES]
    for path in paths:
        assert "张老师" in client.get(path).text
    renamed = Teacher.objects.get(name="张老师")
    renamed.name = "张教授"
    with django_capture_on_commit_callbacks(execute=True):
        renamed.save()  # as the admin does
    for path in paths:
        text = client.get(path).text
        assert "张教授" in text
        assert "张老师" not in text


def test_a_missing_course_is_not_kept(client, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1):  # looked up each time: a probe of random ids fills no cache
            assert client.get("/higher-ed/courses/999999/").status_code == 404


def test_a_new_run_shows_at_once_on_the_course_page(client, django_capture_on_commit_callbacks):
    the_course = course("数据结构")
    path = f"/higher-ed/courses/{the_course.pk}/"
    assert "2027春" not in client.get(path).text
    with django_capture_on_commit_callbacks(execute=True):
        today = timezone.localdate()
        CourseRun.objects.create(course=the_course, term="2027春", start=today, end=today, status="open")
    assert "2027春" in client.get(path).text


def test_the_sub_navigation_offers_my_courses_only_when_signed_in(client):
    from tests.factories import UserFactory

    course("数据结构")
    assert "/higher-ed/me/" not in client.get("/higher-ed/").text
    client.force_login(UserFactory())
    assert "/higher-ed/me/" in client.get("/higher-ed/").text


def test_the_runs_table_is_shared_but_an_enrolment_is_the_learners_own(client):
    from tests.factories.higher_ed import learner

    made = course("数据结构")
    student = learner()
    services.enrollment_create(user=student, run=made.runs.get())
    path = f"/higher-ed/courses/{made.pk}/"
    anonymous = client.get(path).text
    assert "data-run=" in anonymous
    assert "Enrolled" not in anonymous
    assert "已选课" not in anonymous
    client.force_login(student)
    mine = client.get(path).text
    enrolled = mine.split('data-run="')[1].split("</tr>")[0]
    assert "/higher-ed/me/enrollments/" in enrolled
    client.logout()
    assert "/higher-ed/me/enrollments/" not in client.get(path).text
