import pytest
from django.urls import reverse

from smartedu.accounts.models import Role, User
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db

FORM = {
    "username": "lily",
    "email": "lily@example.org",
    "password": "Lantern-river-42",
    "password_confirm": "Lantern-river-42",
    "role": "student",
    "province": "",
    "institution": "",
}


def test_register_page_renders_roles(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    for role in ("student", "teacher", "graduate", "employer", "officer"):
        assert f'value="{role}"' in response.text
    assert 'value="admin"' not in response.text


def test_register_signs_the_user_in(client):
    response = client.post(reverse("accounts:register"), {**FORM, "province": province("61").pk})
    assert response.status_code == 302
    user = User.objects.get(username="lily")
    assert user.province.code == "61"
    assert client.get(reverse("accounts:profile")).context["user"] == user


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "Taken"}, "username"),
        ({"password": "password", "password_confirm": "password"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"password_confirm": "something-else-1"}, "password_confirm"),
    ],
)
def test_register_bad_input_shows_form_errors_and_keeps_input(client, change, field):
    UserFactory(username="taken")
    response = client.post(reverse("accounts:register"), {**FORM, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'value="lily@example.org"' in response.text or field == "email"
    assert not User.objects.filter(username=FORM["username"]).exists() or field == "username"


def test_pending_employer_sees_that_approval_is_awaited(client):
    client.post(reverse("accounts:register"), {**FORM, "role": "employer", "institution": "某公司"})
    response = client.get(reverse("accounts:profile"))
    assert 'class="pending"' in response.text


def test_login_and_logout(client):
    UserFactory(username="amy")
    response = client.post(
        reverse("accounts:login"), {"username": "amy", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_password_is_a_form_error(client):
    UserFactory(username="amy")
    response = client.post(reverse("accounts:login"), {"username": "amy", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failed_logins_lock_the_account(client, settings):
    UserFactory(username="amy")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "amy", "password": "nope"})
    response = client.post(
        reverse("accounts:login"), {"username": "amy", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_profile_edit(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "小李",
            "email": "new@example.org",
            "province": province("62").pk,
            "institution": "兰州一中",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email, user.province.code) == ("小李", "new@example.org", "62")


def test_approvals_page_is_for_admins_only(client):
    client.force_login(UserFactory(role=Role.TEACHER))
    assert client.get(reverse("accounts:approvals")).status_code == 403


def test_provincial_admin_lists_and_approves_own_province_only(client):
    admin = UserFactory(role=Role.ADMIN, admin_province=province("44"))
    own = UserFactory(role=Role.EMPLOYER, province=province("44"))
    other = UserFactory(role=Role.EMPLOYER, province=province("45"))
    client.force_login(admin)
    listed = list(client.get(reverse("accounts:approvals")).context["pending"])
    assert listed == [own]
    assert client.post(reverse("accounts:approve", args=[own.pk])).status_code == 302
    # Out of scope answers like a missing account.
    assert client.post(reverse("accounts:approve", args=[other.pk])).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.is_approved
    assert not other.is_approved


def test_approve_needs_post(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    assert (
        client.get(reverse("accounts:approve", args=[UserFactory(role=Role.EMPLOYER).pk])).status_code == 405
    )
