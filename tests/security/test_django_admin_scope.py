"""Issue 7.2: a provincial administrator with staff access sees and edits their province only, and confers
no authority; the same ``scope_filter`` narrows every per-person admin (accounts, K-12 graded work)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from k12 import services as k12_services
from smartedu.accounts import access, services
from smartedu.accounts.models import AuditAction, AuditEntry, Role, User
from tests.factories import UserFactory, province
from tests.factories.k12 import lesson_with_exercises

pytestmark = pytest.mark.django_db


def _staff_admin(code: str | None, *codenames: str) -> User:
    user = UserFactory(
        role=Role.ADMIN, is_staff=True, admin_province=province(code) if code else None, province=None
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def gd_admin(client):
    admin = _staff_admin("44", "view_user", "change_user", "delete_user", "add_user", "view_submission")
    client.force_login(admin)
    return admin


def _change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "province": user.province_id or "",
        "institution": user.institution,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role": user.role,
        "admin_province": user.admin_province_id or "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_user_list_shows_only_the_admins_province_without_peers(client, gd_admin):
    own = UserFactory(username="gd_teacher", role=Role.TEACHER, province=province("44"))
    UserFactory(username="gx_teacher", role=Role.TEACHER, province=province("45"))
    UserFactory(username="gd_peer", role=Role.ADMIN, province=province("44"), admin_province=province("44"))
    UserFactory(username="gd_superuser", role=Role.STUDENT, province=province("44"), is_superuser=True)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]


@pytest.mark.parametrize("target", ["other_province", "peer_admin", "superuser"])
def test_accounts_out_of_scope_cannot_be_opened_edited_or_have_their_password_set(client, gd_admin, target):
    victim = {
        "other_province": lambda: UserFactory(role=Role.TEACHER, province=province("45")),
        "peer_admin": lambda: UserFactory(
            role=Role.ADMIN, province=province("44")
        ),  # a ministry admin living in 44
        "superuser": lambda: UserFactory(role=Role.STUDENT, province=province("44"), is_superuser=True),
    }[target]()
    before = User.objects.get(pk=victim.pk).password
    assert client.get(reverse("admin:accounts_user_change", args=[victim.pk])).status_code == 302
    client.post(reverse("admin:accounts_user_change", args=[victim.pk]), _change_form(victim, first_name="x"))
    client.post(
        reverse("admin:auth_user_password_change", args=[victim.pk]),
        {"password1": "Hijack-pass-2049", "password2": "Hijack-pass-2049"},
    )
    victim.refresh_from_db()
    assert victim.first_name != "x"
    assert victim.password == before


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.ADMIN},
        {"is_staff": "on"},
        {"is_superuser": "on"},
        {"admin_province": "__province_45__"},
        {"groups": "__group__"},
    ],
)
def test_a_provincial_admin_cannot_confer_authority(client, gd_admin, changes):
    from django.contrib.auth.models import Group

    teacher = UserFactory(role=Role.TEACHER, province=province("44"))
    group = Group.objects.create(name="editors")
    values = {
        k: {"__province_45__": province("45").pk, "__group__": group.pk}.get(v, v) for k, v in changes.items()
    }
    response = client.post(
        reverse("admin:accounts_user_change", args=[teacher.pk]), _change_form(teacher, **values)
    )
    assert response.status_code == 302  # the form saved: the privileged fields were read-only and ignored
    teacher.refresh_from_db()
    assert teacher.role == Role.TEACHER
    assert not teacher.is_staff
    assert not teacher.is_superuser
    assert teacher.admin_province_id is None
    assert not teacher.groups.exists()
    assert not AuditEntry.objects.exists()


def test_the_admin_save_service_refuses_privilege_changes_by_a_provincial_admin(gd_admin):
    teacher = UserFactory(role=Role.TEACHER, province=province("44"))
    teacher.is_superuser = True
    with pytest.raises(PermissionDenied):
        services.user_admin_save(actor=gd_admin, user=teacher)
    assert not User.objects.get(pk=teacher.pk).is_superuser


def test_a_provincial_admin_edits_ordinary_fields_in_scope(client, gd_admin):
    teacher = UserFactory(role=Role.TEACHER, province=province("44"))
    response = client.post(
        reverse("admin:accounts_user_change", args=[teacher.pk]), _change_form(teacher, first_name="王老师")
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.first_name == "王老师"


def test_a_provincial_admin_cannot_create_accounts(client, gd_admin):
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_the_ministry_confers_authority_and_it_is_logged(client):
    ministry = _staff_admin(None, "view_user", "change_user")
    client.force_login(ministry)
    teacher = UserFactory(role=Role.TEACHER, province=province("44"))
    response = client.post(
        reverse("admin:accounts_user_change", args=[teacher.pk]),
        _change_form(teacher, role=Role.ADMIN, admin_province=province("44").pk, is_staff="on"),
        REMOTE_ADDR="203.0.113.8",
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.role, teacher.scope_province_id, teacher.is_staff) == (
        Role.ADMIN,
        province("44").pk,
        True,
    )
    logged = set(
        AuditEntry.objects.filter(subject=teacher, actor=ministry).values_list("action", "client_ip")
    )
    assert logged == {
        (AuditAction.ROLE_CHANGED, "203.0.113.8"),
        (AuditAction.SCOPE_CHANGED, "203.0.113.8"),
        (AuditAction.PRIVILEGE_CHANGED, "203.0.113.8"),
    }


def test_graded_work_in_the_admin_is_scoped_by_the_students_province(client, gd_admin):
    lesson, questions = lesson_with_exercises()
    answers = {questions[0].pk: "B", questions[1].pk: "true", questions[2].pk: "7"}
    own = k12_services.submission_create(
        student=UserFactory(role=Role.STUDENT, province=province("44")), lesson=lesson, answers=answers
    )
    other = k12_services.submission_create(
        student=UserFactory(role=Role.STUDENT, province=province("45")), lesson=lesson, answers=answers
    )
    response = client.get(reverse("admin:k12_submission_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:k12_submission_change", args=[other.pk])).status_code == 302


def test_staff_who_are_not_administrators_see_no_per_person_rows(client):
    editor = UserFactory(role=Role.TEACHER, is_staff=True, province=province("44"))
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "view_submission"]))
    UserFactory(role=Role.STUDENT, province=province("44"))
    client.force_login(User.objects.get(pk=editor.pk))
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_scope_filter_is_the_one_rule():
    gd, gx = province("44"), province("45")
    students = User.objects.filter(role=Role.STUDENT)
    UserFactory(role=Role.STUDENT, province=gd)
    UserFactory(role=Role.STUDENT, province=gx)
    gd_admin = UserFactory(role=Role.ADMIN, admin_province=gd)
    assert set(
        access.scope_filter(gd_admin, students, province_field="province").values_list("province", flat=True)
    ) == {gd.pk}
    assert access.scope_filter(UserFactory(role=Role.ADMIN), students, province_field="province").count() == 2
    assert (
        access.scope_filter(UserFactory(role=Role.TEACHER), students, province_field="province").count() == 0
    )
