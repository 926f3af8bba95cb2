"""Issue 7.15: /readyz explains failures only to administrators and to the machine itself."""

import pytest

from smartedu.accounts.models import Role
from smartedu.portal import health
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.50"


@pytest.fixture
def failing_part(monkeypatch):
    def check_secret() -> None:
        raise RuntimeError("cannot reach redis://10.1.2.3:6380 (server 7.2.4, password ***)")

    monkeypatch.setitem(health.CHECKS, "buffer", check_secret)


def test_an_outsider_sees_only_the_names_of_failing_parts(client, failing_part):
    response = client.get("/readyz", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["buffer"]}
    assert "10.1.2.3" not in response.text


def test_a_forged_forwarded_loopback_address_does_not_unlock_the_detail(client, failing_part, settings):
    settings.TRUSTED_PROXIES = 0
    response = client.get("/readyz", REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert "checks" not in response.json()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.OFFICER])
def test_signed_in_non_admins_see_no_detail(client, failing_part, role):
    client.force_login(UserFactory(role=role, approved=True))
    assert "checks" not in client.get("/readyz", REMOTE_ADDR=OUTSIDE).json()


@pytest.mark.parametrize("admin_province", [None, "44"])
def test_administrators_see_the_detail(client, failing_part, admin_province):
    client.force_login(
        UserFactory(role=Role.ADMIN, admin_province=province(admin_province) if admin_province else None)
    )
    body = client.get("/readyz", REMOTE_ADDR=OUTSIDE).json()
    assert "10.1.2.3" in body["checks"]["buffer"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.parametrize("loopback", ["127.0.0.1", "::1"])
def test_the_machine_itself_sees_the_detail(client, failing_part, loopback):
    body = client.get("/readyz", REMOTE_ADDR=loopback).json()
    assert body["checks"]["buffer"].startswith("error: RuntimeError")


def test_other_apps_register_checks(monkeypatch):
    monkeypatch.setattr(health, "CHECKS", dict(health.CHECKS))
    health.register_check("search", lambda: None)
    assert health.readiness()["search"] == "ok"
