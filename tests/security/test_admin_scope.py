"""Issue 7.1: an administrator's scope lives out of its holder's reach; standing changes are re-approved."""

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from smartedu.accounts import access, selectors, services
from smartedu.accounts.models import AuditAction, AuditEntry, Role, User
from smartedu.stats import access as stats_access
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/accounts/me/"


@pytest.fixture
def provincial_admin():
    return UserFactory(role=Role.ADMIN, province=province("44"), admin_province=province("44"))


@pytest.mark.parametrize(
    "body",
    [
        {"province": None},
        {"province": "45"},
        {"province": None, "admin_province": None, "role": "admin", "is_superuser": True},
    ],
)
def test_patching_me_cannot_widen_or_move_an_admins_scope(api_client, provincial_admin, body):
    # given a provincial administrator of 广东 and an employer waiting in 广西
    waiting = UserFactory(role=Role.EMPLOYER, province=province("45"), institution="某公司")
    api_client.force_authenticate(provincial_admin)
    # when they patch their own account
    assert api_client.patch(ME_URL, body).status_code == 200
    # then their scope and powers are unchanged
    provincial_admin.refresh_from_db()
    assert provincial_admin.scope_province_id == province("44").pk
    assert not provincial_admin.is_superuser
    assert not stats_access.stats_national(provincial_admin)
    assert waiting not in selectors.user_pending_approval_list(admin=provincial_admin)
    with pytest.raises(PermissionDenied):
        services.user_approve(user=waiting, approved_by=provincial_admin)


def test_the_profile_form_cannot_widen_an_admins_scope(client, provincial_admin):
    client.force_login(provincial_admin)
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "管理员",
            "email": "gd@example.org",
            "province": "",
            "institution": "",
            "admin_province": "",
        },
    )
    assert response.status_code == 302
    provincial_admin.refresh_from_db()
    assert provincial_admin.province is None  # their home province is theirs to change …
    assert provincial_admin.scope_province_id == province("44").pk  # … their authority is not
    assert client.get(reverse("dashboard:sections")).status_code == 403


def test_only_the_ministry_sets_a_scope_and_each_change_is_logged(provincial_admin):
    ministry = UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.user_scope_set(actor=provincial_admin, user=provincial_admin, admin_province=None)
    services.user_scope_set(
        actor=ministry, user=provincial_admin, admin_province=province("45"), client_ip="198.51.100.2"
    )
    provincial_admin.refresh_from_db()
    assert provincial_admin.scope_province_id == province("45").pk
    entry = AuditEntry.objects.get(subject=provincial_admin, action=AuditAction.SCOPE_CHANGED)
    assert (entry.actor, entry.old_value, entry.new_value, entry.client_ip) == (
        ministry,
        "广东省",
        "广西壮族自治区",
        "198.51.100.2",
    )
    assert entry.created_at is not None


def test_a_non_admin_gets_no_scope():
    with pytest.raises(ValidationError):
        services.user_scope_set(
            actor=UserFactory(role=Role.ADMIN),
            user=UserFactory(role=Role.TEACHER),
            admin_province=province("44"),
        )


@pytest.mark.parametrize("change", [{"province": "45"}, {"institution": "另一家公司"}])
def test_an_approved_employer_who_moves_waits_for_approval_again(api_client, change):
    employer = UserFactory(role=Role.EMPLOYER, province=province("44"), institution="某公司", approved=True)
    api_client.force_authenticate(employer)
    response = api_client.patch(ME_URL, change)
    assert response.status_code == 200
    assert response.json()["is_approved"] is False
    employer.refresh_from_db()
    assert employer.approved_at is None
    assert AuditEntry.objects.filter(subject=employer, action=AuditAction.APPROVAL_WITHDRAWN).count() == 1


def test_an_approved_officer_who_edits_only_their_name_stays_approved(client):
    officer = UserFactory(role=Role.OFFICER, province=province("44"), institution="中山大学", approved=True)
    client.force_login(officer)
    logged_before = set(AuditEntry.objects.filter(subject=officer).values_list("pk", flat=True))
    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "新名字",
            "email": officer.email,
            "province": province("44").pk,
            "institution": "中山大学",
        },
    )
    officer.refresh_from_db()
    assert officer.is_approved
    assert set(AuditEntry.objects.filter(subject=officer).values_list("pk", flat=True)) == logged_before


def test_an_officer_moved_in_the_django_admin_waits_for_approval_again():
    officer = UserFactory(role=Role.OFFICER, province=province("44"), institution="中山大学", approved=True)
    officer.province = province("45")
    services.user_admin_save(actor=UserFactory(role=Role.ADMIN, is_superuser=True), user=officer)
    officer.refresh_from_db()
    assert officer.approved_at is None


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        (lambda: UserFactory(role=Role.EMPLOYER, approved=True, institution="x"), 409),
        (lambda: UserFactory(role=Role.OFFICER, is_active=False, institution="x"), 404),
        (lambda: UserFactory(role=Role.STUDENT), 404),
    ],
)
def test_approve_accepts_only_accounts_waiting_for_approval(client, account, expected):
    subject = account()
    before = User.objects.get(pk=subject.pk).approved_at
    approvals_before = AuditEntry.objects.filter(action=AuditAction.APPROVED).count()
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.post(reverse("accounts:approve", args=[subject.pk]))
    assert response.status_code == expected
    assert User.objects.get(pk=subject.pk).approved_at == before
    assert AuditEntry.objects.filter(action=AuditAction.APPROVED).count() == approvals_before


def test_an_approval_is_logged_with_the_client_address(client):
    admin = UserFactory(role=Role.ADMIN)
    employer = UserFactory(role=Role.EMPLOYER, institution="某公司")
    client.force_login(admin)
    client.post(reverse("accounts:approve", args=[employer.pk]), REMOTE_ADDR="203.0.113.77")
    entry = AuditEntry.objects.get(action=AuditAction.APPROVED)
    assert (entry.actor, entry.subject, entry.client_ip) == (admin, employer, "203.0.113.77")


def test_the_data_migration_moves_existing_admins_province_into_their_scope():
    module = __import__("smartedu.accounts.migrations.0004_admin_scope_from_province", fromlist=["forwards"])
    old_style = UserFactory(role=Role.ADMIN, province=province("44"))
    teacher = UserFactory(role=Role.TEACHER, province=province("44"))
    module.forwards(django_apps, None)
    old_style.refresh_from_db()
    teacher.refresh_from_db()
    assert old_style.scope_province_id == province("44").pk
    assert teacher.admin_province_id is None


@pytest.mark.slow
def test_the_demo_provincial_admin_governs_guangdong(django_db_setup):
    from django.core.management import call_command

    call_command("seed_demo", "--no-progress")
    admin_gd = User.objects.get(username="admin_gd")
    assert admin_gd.check_password("smartedu-demo")
    assert admin_gd.admin_province.code == "44"
    assert not admin_gd.is_superuser
    assert access.is_platform_admin(admin_gd)
    assert not access.is_ministry_admin(admin_gd)
