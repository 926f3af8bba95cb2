import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartedu.accounts import services
from smartedu.accounts.models import Role, User
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db

GOOD = "Lantern-river-42"


def register(**overrides):
    data = {"username": "newbie", "email": "newbie@example.org", "password": GOOD, "role": Role.STUDENT}
    return services.user_register(**{**data, **overrides})


def test_register_creates_a_usable_account():
    user = register(province=province("45"), institution="南宁二中")
    assert user.pk
    assert user.check_password(GOOD)
    assert user.province.name == "广西壮族自治区"
    assert user.is_approved


def test_register_employer_waits_for_approval():
    user = register(role=Role.EMPLOYER, institution="某科技公司")
    assert not user.is_approved


def test_register_refuses_taken_username_ignoring_case():
    UserFactory(username="Taken")
    with pytest.raises(ValidationError) as exc:
        register(username="taken")
    assert "username" in exc.value.message_dict


def test_register_refuses_weak_password_and_admin_role_and_saves_nothing():
    with pytest.raises(ValidationError) as exc:
        register(password="12345678", role=Role.ADMIN)
    assert set(exc.value.message_dict) == {"password", "role"}
    assert not User.objects.filter(username="newbie").exists()


def test_register_employer_must_name_organisation():
    with pytest.raises(ValidationError) as exc:
        register(role=Role.EMPLOYER, institution=" ")
    assert "institution" in exc.value.message_dict


def test_ministry_admin_approves_anyone_once():
    admin = UserFactory(role=Role.ADMIN)
    employer = UserFactory(role=Role.EMPLOYER, province=province("44"))
    first = services.user_approve(user=employer, approved_by=admin)
    assert first.approved_at is not None
    assert first.approved_by == admin
    with pytest.raises(ValidationError):
        services.user_approve(user=employer, approved_by=admin)
    employer.refresh_from_db()
    assert employer.approved_at == first.approved_at


def test_provincial_admin_cannot_approve_another_province():
    admin = UserFactory(role=Role.ADMIN, admin_province=province("45"))
    employer = UserFactory(role=Role.EMPLOYER, province=province("44"))
    with pytest.raises(PermissionDenied):
        services.user_approve(user=employer, approved_by=admin)
    employer.refresh_from_db()
    assert employer.approved_at is None


def test_non_admin_cannot_approve():
    with pytest.raises(PermissionDenied):
        services.user_approve(user=UserFactory(role=Role.OFFICER), approved_by=UserFactory(role=Role.TEACHER))


def test_update_profile_refuses_an_email_in_use():
    UserFactory(email="used@example.org")
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.user_update_profile(user=user, email="USED@example.org", province=None, institution="")
    assert "email" in exc.value.message_dict


def test_create_confers_neither_scope_nor_approval():
    user = services.user_create(
        username="gd", email="gd@example.org", password=GOOD, role=Role.ADMIN, province=province("44")
    )
    assert user.check_password(GOOD)
    assert user.scope_province_id is None  # a ministry admin until the ministry sets a scope …
    officer = services.user_create(username="o", email="o@example.org", password=None, role=Role.OFFICER)
    assert not officer.is_approved  # … and no approval without user_approve
    assert not officer.has_usable_password()


def test_profile_update_keeps_the_organisation_rule():
    employer = UserFactory(role=Role.EMPLOYER, institution="某公司", approved=True)
    with pytest.raises(ValidationError) as exc:
        services.user_update_profile(user=employer, email=employer.email, province=None, institution=" ")
    assert "institution" in exc.value.message_dict
    employer.refresh_from_db()
    assert employer.is_approved
