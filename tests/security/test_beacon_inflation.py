"""Issue 7.6 and 7.4 (beacon side): no inflation from another site, by repeats or by forged headers.

Each test runs in both modes: the Redis script in production mode, the database buffer in the embedded mode.
"""

import time

import pytest
from django.db.models import Sum
from rest_framework.test import APIClient

from smartedu.stats import services
from smartedu.stats.buffer import get_buffer
from smartedu.stats.models import DailySalt, PlatformDailyView, ProvinceDailyView
from tests.stats.conftest import (  # noqa: F401  (fixtures)
    BROWSER_UA,
    EMBEDDED,
    TEST_KIND,
    _empty_buffer,
    beacon,
    home,
    test_kind,
)

pytestmark = pytest.mark.usefixtures("committed_db")

GUANGDONG = "113.108.81.189"  # a Shenzhen address in ip2region's data
ABROAD = "8.8.8.8"


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "stats_beacon": "10000/min",
        },
    }
    settings.STATS_DEDUPE_SECONDS = 60


def rate(settings, value: str) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "stats_beacon": value},
    }


def counted() -> int:
    services.view_counts_flush()
    return PlatformDailyView.objects.aggregate(n=Sum("views"))["n"] or 0


def lesson_items(n: int = 1) -> list[dict]:
    from tests.factories.k12 import LessonFactory

    lesson = LessonFactory()
    return [{"kind": "k12.lesson", "id": lesson.pk}] * n


def test_the_reported_attack_adds_nothing_from_another_site_and_one_view_from_this_one():
    # 20 cross-origin requests carrying 50 copies of one lesson added 1,000 views before the fix
    items = lesson_items(50)
    client = APIClient()
    statuses = {
        beacon(client, items, HTTP_ORIGIN="https://evil.example", REMOTE_ADDR=f"198.51.100.{i}").status_code
        for i in range(20)
    }
    assert statuses == {403}
    assert counted() == 0
    # the same flood sent from this site by one visitor is one view
    for _ in range(20):
        assert beacon(client, items, HTTP_ORIGIN="http://testserver").status_code == 204
    assert counted() == 1


def test_repeats_of_one_item_in_one_request_count_once(settings):
    settings.STATS_DEDUPE_SECONDS = 0  # not the de-duplication across requests: the merge within one
    response = beacon(APIClient(), lesson_items(50))
    assert response.status_code == 204
    assert counted() == 1


def test_one_visitor_counts_once_per_object_within_the_window_and_again_after_it(settings):
    settings.STATS_DEDUPE_SECONDS = 1
    items = lesson_items()
    client = APIClient()
    for _ in range(5):
        beacon(client, items)
    assert counted() == 1
    time.sleep(1.3)
    beacon(client, items)
    assert counted() == 2


def test_zero_turns_the_de_duplication_off(settings):
    settings.STATS_DEDUPE_SECONDS = 0
    items = lesson_items()
    for _ in range(5):
        beacon(APIClient(), items)
    assert counted() == 5


def test_different_visitors_each_count():
    items = lesson_items()
    beacon(APIClient(), items, REMOTE_ADDR="198.51.100.1")
    beacon(APIClient(), items, REMOTE_ADDR="198.51.100.2")
    beacon(APIClient(), items, REMOTE_ADDR="198.51.100.1", ua=BROWSER_UA + " Edg/131.0")
    assert counted() == 3


def test_a_signed_in_visitor_is_the_user_whatever_the_address():
    from tests.factories import UserFactory

    client = APIClient()
    client.force_login(UserFactory())
    items = lesson_items()
    beacon(client, items, REMOTE_ADDR="198.51.100.1")
    beacon(client, items, REMOTE_ADDR="198.51.100.2")
    assert counted() == 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ({"HTTP_ORIGIN": "null"}, 403),  # sandboxed frames and file: pages
        ({"HTTP_REFERER": "https://evil.example/page.html"}, 403),
        ({"HTTP_ORIGIN": "http://testserver", "HTTP_REFERER": "https://evil.example/"}, 403),
        ({"HTTP_ORIGIN": "http://testserver.evil.example"}, 403),
        ({"HTTP_ORIGIN": "http://testserver"}, 204),
        ({"HTTP_REFERER": "http://testserver/k12/lessons/1/"}, 204),
        ({}, 204),  # no header at all (privacy settings strip them)
    ],
)
def test_requests_naming_another_host_are_refused(headers, expected):
    response = beacon(APIClient(), home(), **headers)
    assert response.status_code == expected
    assert counted() == (1 if expected == 204 else 0)


def test_a_trusted_origin_is_accepted(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.smartedu.example"]
    assert beacon(APIClient(), home(), HTTP_ORIGIN="https://www.smartedu.example").status_code == 204


def test_the_pixel_refuses_another_site_too():
    response = APIClient().get(
        "/api/v1/stats/views/pixel.gif?i=portal.home:0",
        HTTP_USER_AGENT=BROWSER_UA,
        HTTP_REFERER="https://evil.example/",
    )
    assert response.status_code == 403
    assert counted() == 0


def test_the_province_comes_from_the_address_never_from_the_body():
    beacon(APIClient(), home(), body={"province": "61"}, REMOTE_ADDR=GUANGDONG)
    beacon(APIClient(), home(), body={"province": "61"}, REMOTE_ADDR=ABROAD)
    counted()
    assert dict(ProvinceDailyView.objects.values_list("province_code", "views")) == {"44": 1, "": 1}


def test_a_forged_x_forwarded_for_chooses_neither_province_nor_rate_key(settings):
    settings.TRUSTED_PROXIES = 0
    rate(settings, "3/min")
    client = APIClient()
    statuses = [
        beacon(
            client, home(), REMOTE_ADDR=ABROAD, HTTP_X_FORWARDED_FOR=f"{GUANGDONG}, 10.0.0.{i}"
        ).status_code
        for i in range(4)
    ]
    assert statuses == [204, 204, 204, 429]  # one client, however many addresses it claims
    counted()
    assert dict(ProvinceDailyView.objects.values_list("province_code", "views")) == {"": 1}


def test_behind_a_trusted_proxy_the_proxy_s_entry_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    beacon(APIClient(), home(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {GUANGDONG}")
    counted()
    assert dict(ProvinceDailyView.objects.values_list("province_code", "views")) == {"44": 1}


def test_rotating_user_agents_is_capped_by_the_rate_limit_per_address(settings):
    rate(settings, "5/min")
    items = lesson_items()
    statuses = [beacon(APIClient(), items, ua=f"{BROWSER_UA} r{i}").status_code for i in range(8)]
    assert statuses.count(429) == 3
    assert counted() == 5


def test_no_visitor_cookie_and_no_address_is_stored(settings):
    address = "203.0.113.77"
    response = beacon(APIClient(), home(), REMOTE_ADDR=address)
    assert response.status_code == 204
    assert "se_vid" not in response.cookies
    assert not response.cookies
    if EMBEDDED:
        from smartedu.stats.models import BufferedVisitor, SeenView

        stored = [*BufferedVisitor.objects.values_list("visitor", flat=True)]
        stored += [*SeenView.objects.values_list("visitor", flat=True)]
        assert stored
        assert all(address not in value for value in stored)
    else:
        redis = get_buffer().redis
        keys = list(redis.scan_iter(match="*"))
        assert keys
        assert all(address not in key for key in keys)


def test_the_visitor_hash_changes_with_the_daily_salt(settings):
    from datetime import date, timedelta

    from smartedu.stats.viewers import visitor_hash

    buffer = get_buffer()
    today = date(2030, 5, 1)
    salt_today, salt_tomorrow = buffer.salt(today), buffer.salt(today + timedelta(days=1))
    assert salt_today != salt_tomorrow
    assert buffer.salt(today) == salt_today  # every process reads the same salt for a day
    same = {"address": "203.0.113.5", "user_agent": BROWSER_UA}
    assert visitor_hash(salt=salt_today, **same) != visitor_hash(salt=salt_tomorrow, **same)
    if EMBEDDED:  # old salts are deleted, so yesterday's hashes cannot be recomputed
        buffer.salt(today + timedelta(days=5))
        assert not DailySalt.objects.filter(day=today).exists()
