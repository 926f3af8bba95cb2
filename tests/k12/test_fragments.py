"""K-12 pages keep the blocks that are the same for every visitor in the cache (smartedu/portal/fragments.py):
a second request runs fewer queries, and a publication or an edit shows at once, in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from k12 import services
from k12.models import Lesson, PublishStatus, Resource, Section
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import LessonFactory, LessonHourFactory, ResourceFactory
from tests.pages import get_counted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]

LANGUAGES = ("", "/en")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_home_page_runs_no_query_once_its_blocks_are_cached(client, django_assert_num_queries, prefix):
    ResourceFactory(title="热门资源")
    first, first_queries = get_counted(client, f"{prefix}/k12/")
    assert first_queries >= 5  # sections, hot and newest, editions, partner links, textbook choice
    with django_assert_num_queries(0):
        second = client.get(f"{prefix}/k12/")
    assert second.content == first.content


def test_signed_in_the_visits_are_read_once_per_version(client, django_capture_on_commit_callbacks):
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)
    lesson = LessonFactory(title="继续学习的课")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/k12/lessons/{lesson.pk}/")  # a visit: "continue where you left off"
    first, first_queries = get_counted(client, "/k12/")
    second, second_queries = get_counted(client, "/k12/")
    assert second_queries == 2  # the session and the user: the visits and the choice come from the cache
    assert first_queries > second_queries
    assert "继续学习的课" in first.text
    assert "继续学习的课" in second.text


def test_a_new_visit_shows_at_once_and_only_to_its_visitor(client, django_capture_on_commit_callbacks):
    student, other = UserFactory(role=Role.STUDENT), UserFactory(role=Role.STUDENT)
    first_lesson, next_lesson = LessonFactory(title="第一课 春"), LessonFactory(title="第二课 济南的冬天")
    client.force_login(student)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/k12/lessons/{first_lesson.pk}/")
    assert "第二课 济南的冬天" not in client.get("/k12/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/k12/lessons/{next_lesson.pk}/")
    text = client.get("/k12/").text
    assert text.index("第二课 济南的冬天") < text.index("第一课 春")  # newest first
    client.force_login(other)
    assert "第一课 春" not in client.get("/k12/").text


def test_an_unpublished_lesson_leaves_continue_at_once(client, django_capture_on_commit_callbacks):
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)
    lesson = LessonFactory(title="继续学习的课")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/k12/lessons/{lesson.pk}/")
    assert "继续学习的课" in client.get("/k12/").text
    with django_capture_on_commit_callbacks(execute=True):
        services.content_unpublish(queryset=Lesson.objects.filter(pk=lesson.pk))
    assert "继续学习的课" not in client.get("/k12/").text


def test_a_published_resource_shows_at_once_in_each_language(client, django_capture_on_commit_callbacks):
    ResourceFactory(title="早先的资源")
    draft = ResourceFactory(title="刚发布的资源", status=PublishStatus.DRAFT)
    for prefix in LANGUAGES:
        assert "刚发布的资源" not in client.get(f"{prefix}/k12/").text
    with django_capture_on_commit_callbacks(execute=True):
        services.content_publish(queryset=Resource.objects.filter(pk=draft.pk))
    for prefix in LANGUAGES:
        assert "刚发布的资源" in client.get(f"{prefix}/k12/").text


def test_a_renamed_section_shows_at_once(client, django_capture_on_commit_callbacks):
    for prefix in LANGUAGES:
        assert "专题教育" in client.get(f"{prefix}/k12/").text
    section = Section.objects.get(name="专题教育")
    section.name = "专题教育（新）"
    with django_capture_on_commit_callbacks(execute=True):
        section.save()  # as the admin does: the model's signal makes the blocks stale
    for prefix in LANGUAGES:
        assert "专题教育（新）" in client.get(f"{prefix}/k12/").text


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_lesson_page_reads_less_the_second_time(client, prefix):
    lesson = LessonFactory(title="勾股定理")
    LessonHourFactory(lesson=lesson, title="第一课时")
    path = f"{prefix}/k12/lessons/{lesson.pk}/"
    first, first_queries = get_counted(client, path)
    second, second_queries = get_counted(client, path)
    assert second_queries < first_queries  # neighbours, and the related lessons are cached
    assert "第一课时" in second.text
    assert second.content == first.content


def test_an_edited_lesson_shows_at_once_in_each_language(client, django_capture_on_commit_callbacks):
    lesson = LessonFactory(title="旧的标题")
    LessonHourFactory(lesson=lesson, title="旧的课时")
    paths = [f"{prefix}/k12/lessons/{lesson.pk}/" for prefix in LANGUAGES]
    for path in paths:
        assert "<h1>旧的标题</h1>" in client.get(path).text
    lesson.title = "新的标题"
    hour = lesson.hours.get()
    hour.title = "新的课时"
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_save(lesson=lesson)
        services.lesson_hour_save(hour=hour)
    for path in paths:
        text = client.get(path).text
        assert "<h1>新的标题</h1>" in text
        assert "新的课时" in text
        assert "旧的课时" not in text


def test_the_resource_page_shows_the_view_count_uncached(client):
    resource = ResourceFactory(title="视频资源")
    path = f"/k12/resources/{resource.pk}/"
    client.get(path)
    Resource.objects.filter(pk=resource.pk).update(view_count=4321)  # as the flush does: no signal
    assert '<dd class="k12-views">4321</dd>' in client.get(path).text


@pytest.mark.parametrize("kind", ["lesson", "resource"])
def test_a_content_page_reads_its_object_once_and_its_view_count_live(client, kind):
    made = LessonFactory(title="第一课 春") if kind == "lesson" else ResourceFactory(title="视频资源")
    path = f"/k12/{kind}s/{made.pk}/"
    client.get(path)
    type(made).objects.filter(pk=made.pk).update(title="改过的标题", view_count=4321)  # no signal
    with CaptureQueriesContext(connection) as captured:
        text = client.get(path).text
    assert "4321" in text  # the count the flush wrote, at once
    assert "改过的标题" not in text  # the object itself comes from the cache until its generation moves
    assert len(captured) == 1


def test_a_missing_lesson_is_never_kept(client, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get("/k12/lessons/999999/").status_code == 404
