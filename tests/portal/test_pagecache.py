"""The anonymous page cache: who gets a cached page, what is never stored, and what makes pages stale."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from smartedu.portal import pagecache
from smartedu.portal.pagecache import AnonymousPageCacheMiddleware, page_cache_invalidate
from tests.factories import UserFactory
from tests.factories.k12 import ResourceFactory

HIT = "X-Page-Cache"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_an_anonymous_visitor_gets_the_page_from_the_cache_the_second_time(client, django_assert_num_queries):
    first = client.get("/k12/")
    assert first[HIT] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/k12/")
    assert second.status_code == 200
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert not second.cookies
    assert second["X-Frame-Options"] == "DENY"  # headers of the middleware outside the cache still apply
    assert "Content-Security-Policy" in second


def test_each_language_and_query_string_is_a_page_of_its_own(client):
    assert client.get("/k12/")[HIT] == "miss"
    assert client.get("/en/k12/")[HIT] == "miss"
    assert client.get("/k12/?b=2&a=1")[HIT] == "miss"
    assert client.get("/k12/?a=1&b=2")[HIT] == "hit"  # the same parameters in another order
    english = client.get("/en/k12/")
    assert english[HIT] == "hit"
    assert '<html lang="en">' in english.text


def test_a_signed_in_visitor_never_gets_a_cached_page(client):
    client.get("/k12/")
    user = UserFactory(first_name="张伟")
    client.force_login(user)
    page = client.get("/k12/")
    assert HIT not in page
    assert "张伟" in page.text


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_gets_the_page_rendered(client, cookie):
    client.get("/k12/")
    client.cookies[cookie] = "something"
    assert HIT not in client.get("/k12/")


@pytest.mark.parametrize(
    "path", ["/search/dashboard/", "/accounts/login/", "/en/accounts/login/", "/healthz"]
)
def test_excluded_paths_are_never_cached(client, path):
    client.get(path)
    assert HIT not in client.get(path)


def test_a_page_that_sets_a_cookie_or_says_private_is_never_stored(rf):
    calls = []

    def with_csrf_token(request):
        calls.append(1)
        get_token(request)  # what {% csrf_token %} does; CsrfViewMiddleware then sets the cookie
        response = HttpResponse("<form>…</form>")
        response.set_cookie("csrftoken", "x")
        return response

    middleware = AnonymousPageCacheMiddleware(with_csrf_token)
    for _ in range(2):
        assert middleware(rf.get("/k12/form/")).status_code == 200
    assert len(calls) == 2

    def private(request):
        calls.append(1)
        return HttpResponse("mine", headers={"Cache-Control": "private"})

    middleware = AnonymousPageCacheMiddleware(private)
    middleware(rf.get("/k12/private/"))
    middleware(rf.get("/k12/private/"))
    assert len(calls) == 4


def test_only_200_answers_are_stored(client):
    assert client.get("/k12/no-such-page/").status_code == 404
    assert HIT not in client.get("/k12/no-such-page/")


def test_invalidation_makes_every_cached_page_stale(client, django_capture_on_commit_callbacks):
    client.get("/k12/")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_invalidate()
    assert client.get("/k12/")[HIT] == "miss"
    assert client.get("/k12/")[HIT] == "hit"


def test_publishing_content_makes_the_pages_stale(client, django_capture_on_commit_callbacks):
    client.get("/k12/")
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory()  # a registered content kind (k12.resource)
    page = client.get("/k12/")
    assert page[HIT] == "miss"
    assert resource.title in page.text


def test_saving_what_no_page_shows_leaves_the_cache_alone(client, django_capture_on_commit_callbacks):
    client.get("/k12/")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        UserFactory()
    assert callbacks == []
    assert client.get("/k12/")[HIT] == "hit"


def test_any_change_in_the_admin_makes_the_pages_stale(client, django_capture_on_commit_callbacks):
    client.get("/k12/")
    admin = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(admin),
            object_id=str(admin.pk),
            object_repr=str(admin),
            action_flag=CHANGE,
        )
    assert client.get("/k12/")[HIT] == "miss"


def test_a_cache_that_does_not_answer_never_breaks_a_page(client, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    page = client.get("/k12/")
    assert page.status_code == 200
    assert HIT not in page


def test_turned_off_with_zero_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/k12/")
    assert HIT not in client.get("/k12/")


def test_keys_hold_scheme_host_path_and_sorted_query(rf):
    a = pagecache.page_key(rf.get("/k12/?x=1&y=2"))
    assert a == pagecache.page_key(rf.get("/k12/?y=2&x=1"))
    assert a != pagecache.page_key(rf.get("/en/k12/?x=1&y=2"))
    assert a != pagecache.page_key(rf.get("/k12/?x=1&y=2", secure=True))
