import pytest
from django.db import IntegrityError

from smartedu.accounts.models import Role, User
from tests.factories import UserFactory, province

pytestmark = pytest.mark.django_db


def test_students_act_without_approval():
    assert UserFactory(role=Role.STUDENT).is_approved


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.OFFICER])
def test_employers_and_officers_wait_for_approval(role):
    user = UserFactory(role=role)
    assert user.needs_approval
    assert not user.is_approved
    assert UserFactory(role=role, approved=True).is_approved


def test_provincial_admin_scope_is_the_province_they_administer_and_ministry_has_none():
    guangdong = province("44")
    assert UserFactory(role=Role.ADMIN, admin_province=guangdong).scope_province_id == guangdong.pk
    assert UserFactory(role=Role.ADMIN, admin_province=None).scope_province_id is None


def test_an_admins_home_province_is_not_their_scope():
    admin = UserFactory(role=Role.ADMIN, province=province("45"), admin_province=province("44"))
    assert admin.scope_province_id == province("44").pk
    assert not admin.is_ministry_admin


def test_a_superuser_governs_every_province():
    assert (
        UserFactory(role=Role.ADMIN, is_superuser=True, admin_province=province("44")).scope_province_id
        is None
    )


def test_email_is_unique_ignoring_case():
    # the database's constraint itself (the services check first and answer with a form error)
    User.objects.create(username="a", email="Same@Example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(username="b", email="same@example.org")


def test_passwords_are_hashed_with_argon2():
    assert UserFactory().password.startswith("argon2")
