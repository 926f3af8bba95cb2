"""Issue 7.5: the lockout cannot be used to lock an account's owner out from everywhere; it says when to
retry, and an administrator lifts it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from smartedu.accounts.lockout import effective_failures, lockout_until
from smartedu.accounts.models import AuditAction, AuditEntry, Role
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
GOOD = "correct horse battery"


def _fail(client, username, address, times):
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


@pytest.fixture
def amy():
    return UserFactory(username="amy", province=province("44"))


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, amy, settings):
    # given an attacker who hits the limit from their own address
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    assert (
        client.post(LOGIN, {"username": "amy", "password": GOOD}, REMOTE_ADDR="198.51.100.66").status_code
        == 429
    )
    # then amy, from her own address, still logs in
    response = client.post(LOGIN, {"username": "amy", "password": GOOD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302


def test_behind_a_load_balancer_clients_are_told_apart(client, amy, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "amy", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = client.post(
        LOGIN,
        {"username": "amy", "password": GOOD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert response.status_code == 302


def test_the_per_username_limit_across_addresses_locks_the_username(client, amy, settings):
    settings.AXES_USERNAME_FAILURE_LIMIT = 12
    for n in range(12):  # three failures each from four addresses: under the per-address limit
        _fail(client, "amy", f"198.51.100.{n // 3 + 1}", 1)
    response = client.post(LOGIN, {"username": "amy", "password": GOOD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429


def test_effective_failures_combine_both_limits(settings):
    settings.AXES_FAILURE_LIMIT, settings.AXES_USERNAME_FAILURE_LIMIT = 5, 50
    assert effective_failures(pair=3, per_username=49) == 3
    assert effective_failures(pair=3, per_username=50) == 5
    assert effective_failures(pair=7, per_username=50) == 7


def test_the_lockout_page_says_when_to_try_again_in_beijing_time(client, amy, settings):
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": "amy", "password": GOOD}, REMOTE_ADDR="198.51.100.66")
    assert response.status_code == 429
    until = lockout_until(username="amy", ip_address="198.51.100.66")
    assert until is not None
    assert timezone.now() + settings.AXES_COOLOFF_TIME - timedelta(minutes=1) < until
    shown = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")  # TIME_ZONE is Asia/Shanghai
    assert shown in response.text
    assert int(response["Retry-After"]) > 0


def test_failures_during_the_lockout_do_not_push_it_back(client, amy, settings):
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    first = lockout_until(username="amy", ip_address="198.51.100.66")
    _fail(client, "amy", "198.51.100.66", 3)
    assert lockout_until(username="amy", ip_address="198.51.100.66") == first


def test_the_api_error_gives_the_time(api_client, amy, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN_URL, {"username": "amy", "password": "wrong"})
    response = api_client.post(TOKEN_URL, {"username": "amy", "password": GOOD})
    assert response.status_code == 429
    body = response.json()
    assert body["retry_at"].endswith("+08:00")
    assert body["retry_at"][11:16] in body["detail"]
    assert "token" not in body


def test_a_provincial_admin_lifts_a_lockout_in_scope_and_it_is_logged(client, amy, settings):
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    admin = UserFactory(role=Role.ADMIN, admin_province=province("44"))
    client.force_login(admin)
    page = client.get(reverse("accounts:lockouts"))
    assert [lock.username for lock in page.context["lockouts"]] == ["amy"]
    assert client.post(reverse("accounts:unlock", args=["amy"])).status_code == 302
    assert not AccessAttempt.objects.filter(username="amy").exists()
    assert AuditEntry.objects.filter(subject=amy, actor=admin, action=AuditAction.UNLOCKED).exists()
    client.logout()
    assert (
        client.post(LOGIN, {"username": "amy", "password": GOOD}, REMOTE_ADDR="198.51.100.66").status_code
        == 302
    )


def test_another_provinces_admin_neither_sees_nor_lifts_the_lockout(client, amy, settings):
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    client.force_login(UserFactory(role=Role.ADMIN, admin_province=province("45")))
    assert list(client.get(reverse("accounts:lockouts")).context["lockouts"]) == []
    assert client.post(reverse("accounts:unlock", args=["amy"])).status_code == 404
    assert AccessAttempt.objects.filter(username="amy").exists()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.EMPLOYER, Role.OFFICER])
def test_non_admins_cannot_open_the_lockouts(client, role):
    client.force_login(UserFactory(role=role, approved=True))
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:unlock", args=["amy"])).status_code == 403


def test_the_django_admin_action_unlocks(client, amy, settings):
    _fail(client, "amy", "198.51.100.66", settings.AXES_FAILURE_LIMIT)
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [amy.pk]},
    )
    assert not AccessAttempt.objects.filter(username="amy").exists()
