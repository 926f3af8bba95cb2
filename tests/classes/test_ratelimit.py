"""Join codes cannot be brute-forced: failed joins are limited per user and per client address.

The address is ``client_ip`` (REMOTE_ADDR unless proxies are trusted), so a forged X-Forwarded-For
header does not buy fresh tries. Successful joins are given back: a class behind one school address can
join together.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from smartedu.classes.models import Membership
from tests.factories.learning import ClassFactory, student

pytestmark = pytest.mark.django_db

JOIN = "/api/v1/classes/join/"


@pytest.fixture
def limits(settings):
    settings.CLASSES_JOIN_FAILURES_PER_USER = 3
    settings.CLASSES_JOIN_FAILURES_PER_ADDRESS = 5
    settings.CLASSES_JOIN_WINDOW_SECONDS = 600
    settings.TRUSTED_PROXIES = 0
    return settings


def post(api_client, user, code, addr="203.0.113.10", **extra):
    api_client.force_authenticate(user)
    return api_client.post(JOIN, {"code": code}, REMOTE_ADDR=addr, **extra)


def test_a_user_is_stopped_after_the_failures_allowed_even_with_the_right_code(api_client, limits):
    klass = ClassFactory()
    pupil = student()
    codes = [post(api_client, pupil, "ZZZZZZZ").status_code for _ in range(3)]
    assert codes == [400, 400, 400]
    blocked = post(api_client, pupil, klass.code)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert not Membership.objects.exists()
    # Changing address does not help the user either.
    assert post(api_client, pupil, klass.code, addr="198.51.100.1").status_code == 429


def test_an_address_is_stopped_after_its_failures_whoever_tries(api_client, limits):
    klass = ClassFactory()
    statuses = [post(api_client, student(), "ZZZZZZZ").status_code for _ in range(5)]
    assert statuses == [400] * 5
    assert post(api_client, student(), klass.code).status_code == 429
    # Another address is not affected.
    assert post(api_client, student(), klass.code, addr="198.51.100.1").status_code == 201


def test_a_forged_forwarded_header_does_not_give_fresh_tries(api_client, limits):
    for n in range(5):
        post(api_client, student(), "ZZZZZZZ", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert post(api_client, student(), "ZZZZZZZ", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(api_client, limits):
    limits.TRUSTED_PROXIES = 1
    for _ in range(5):
        post(api_client, student(), "ZZZZZZZ", addr="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    blocked = post(api_client, student(), "ZZZZZZZ", addr="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert blocked.status_code == 429
    other_client = post(
        api_client, student(), "ZZZZZZZ", addr="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other_client.status_code == 400


def test_successful_joins_do_not_count(api_client, limits):
    klass = ClassFactory()
    statuses = [post(api_client, student(), klass.code).status_code for _ in range(12)]
    assert statuses == [201] * 12
    assert Membership.objects.count() == 12


def test_refused_roles_do_not_use_up_tries(api_client, limits):
    from tests.factories.learning import teacher

    for _ in range(6):
        assert post(api_client, teacher(), "ZZZZZZZ").status_code == 403
    assert post(api_client, student(), "ZZZZZZZ").status_code == 400


def test_the_join_page_is_limited_by_the_same_rule(client, limits):
    klass = ClassFactory()
    pupil = student()
    client.force_login(pupil)
    url = reverse("classes:join")
    statuses = [
        client.post(url, {"code": "ZZZZZZZ"}, REMOTE_ADDR="203.0.113.10").status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 400]
    blocked = client.post(url, {"code": klass.code}, REMOTE_ADDR="203.0.113.10")
    assert blocked.status_code == 429
    assert "尝试次数过多" in blocked.content.decode()
    assert not Membership.objects.exists()
    # The API shares the counters with the page.
    assert post(APIClient(), pupil, klass.code).status_code == 429
