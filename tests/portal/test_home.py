"""The home page as a portal: content per sub-platform, the week's most viewed, the newest, announcements."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from k12.models import Lesson, PublishStatus
from smartedu.portal import access, selectors, services
from smartedu.portal.models import Announcement
from smartedu.search import services as search_services
from smartedu.stats.models import ObjectDailyView
from tests.factories import UserFactory
from tests.factories.k12 import LessonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _index() -> None:
    search_services.search_reconcile()


def test_hot_content_ranks_the_weeks_views_and_leaves_out_what_is_not_visible(client):
    shown = LessonFactory(title="第1课 有理数")
    hidden = LessonFactory(title="第2课 草稿")
    _index()
    today = timezone.localdate()
    for lesson, views in ((shown, 50), (hidden, 900)):
        ObjectDailyView.objects.create(
            day=today, kind="k12.lesson", object_id=lesson.pk, platform="k12", views=views
        )
    Lesson.objects.filter(pk=hidden.pk).update(status=PublishStatus.DRAFT)
    _index()  # the draft leaves the index, which the home page reads
    hot = selectors.home_hot()
    assert [item.title for item in hot][:1] == ["第1课 有理数"]
    assert "第2课 草稿" not in [item.title for item in hot]
    assert hot[0].views == 50
    response = client.get("/")
    assert "第1课 有理数" in response.text
    assert "本周热门" in response.text or "Popular this week" in response.text


def test_views_older_than_a_week_do_not_make_content_hot():
    old = LessonFactory(title="旧课", view_count=0)
    _index()
    ObjectDailyView.objects.create(
        day=timezone.localdate() - timedelta(days=8),
        kind="k12.lesson",
        object_id=old.pk,
        platform="k12",
        views=99,
    )
    assert selectors.home_hot() == []


def test_the_home_page_counts_real_content_per_sub_platform(client):
    LessonFactory.create_batch(3)
    _index()
    figures = {f.kind: f.count for f in selectors.home_figures()["k12"]}
    assert figures["k12.lesson"] == 3
    response = client.get("/")
    assert 'data-platform="k12"' in response.text


def test_announcements_show_while_published_and_not_expired_pinned_first(client):
    now = timezone.now()
    services.announcement_create(title="普通通知", published_at=now - timedelta(days=1))
    services.announcement_create(title="置顶通知", is_pinned=True, published_at=now - timedelta(days=5))
    services.announcement_create(title="明天的通知", published_at=now + timedelta(days=1))
    services.announcement_create(
        title="过期通知", published_at=now - timedelta(days=9), expires_at=now - timedelta(days=2)
    )
    assert [a.title for a in selectors.announcements()] == ["置顶通知", "普通通知"]
    assert "置顶通知" in client.get("/").text


def test_saving_an_announcement_clears_the_cached_home_page(client, django_capture_on_commit_callbacks):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_create(title="新学期开学通知")
    assert "新学期开学通知" in client.get("/").text


def test_an_announcement_cannot_expire_before_it_is_published():
    now = timezone.now()
    with pytest.raises(ValidationError, match="expires"):
        services.announcement_create(title="错误", published_at=now, expires_at=now - timedelta(hours=1))
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    ("role", "province", "allowed"),
    [("admin", None, True), ("admin", "44", False), ("teacher", None, False), ("student", None, False)],
)
def test_only_ministry_administrators_manage_announcements(role, province, allowed):
    from smartedu.accounts.models import Province

    user = UserFactory(
        role=role,
        province=Province.objects.get(code=province) if province else None,
        is_staff=role == "admin",
    )
    assert access.announcements_manageable(user) is allowed
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = site._registry[Announcement]
    assert model_admin.has_module_permission(request) is allowed
    assert model_admin.has_add_permission(request) is allowed
    assert model_admin.has_change_permission(request) is allowed


def test_the_home_page_offers_search_and_the_12355_hotline(client):
    text = client.get("/").text
    assert 'action="/search/"' in text
    assert 'href="tel:12355"' in text


def test_the_home_page_body_is_rendered_once_for_everyone(client, fragments_on, monkeypatch):
    first = client.get("/")
    calls = []
    monkeypatch.setattr(selectors, "platform_cards", lambda: calls.append(1) or [])
    monkeypatch.setattr(selectors, "home_data", lambda: calls.append(1))
    second = client.get("/")
    assert calls == []  # the cached block needs neither the cards nor the home data
    assert second.content == first.content
    assert "12355" in second.text


def test_a_new_announcement_shows_at_once_in_the_cached_block(
    client, fragments_on, django_capture_on_commit_callbacks
):
    assert "新学期开学通知" not in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_create(title="新学期开学通知")
    for path in ("/", "/en/"):
        assert "新学期开学通知" in client.get(path).text
