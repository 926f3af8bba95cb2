"""The shared factories build through the services and never hand back an existing user."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartedu.accounts.models import Role
from tests.factories import PASSWORD, AdminFactory, UserFactory, province

pytestmark = pytest.mark.django_db


def test_usernames_come_from_a_sequence():
    users = UserFactory.create_batch(3)
    assert len({u.pk for u in users}) == 3
    assert len({u.username for u in users}) == 3


def test_asking_twice_for_one_username_fails_loudly_instead_of_returning_the_first_user():
    UserFactory(username="amy")
    with pytest.raises(ValidationError) as caught:
        UserFactory(username="Amy")
    assert "username" in caught.value.message_dict


def test_users_are_registered_through_the_service_and_its_rules():
    # the registration service's password rules apply (a bare model save would take any password)
    with pytest.raises(ValidationError) as caught:
        UserFactory(password="123")
    assert "password" in caught.value.message_dict
    # and its other invariants: employers wait for approval, and must name their organisation
    employer = UserFactory(role=Role.EMPLOYER, province=province("44"))
    assert employer.approved_at is None
    assert not employer.is_approved
    assert employer.institution
    assert employer.check_password(PASSWORD)


def test_approved_accounts_are_approved_by_an_administrator_through_the_service():
    officer = UserFactory(role=Role.OFFICER, approved=True)
    assert officer.is_approved
    assert officer.approved_by.is_platform_admin

    governor = AdminFactory(province=province("44"))
    employer = UserFactory(role=Role.EMPLOYER, province=province("44"), approved=True, approved__by=governor)
    assert employer.approved_by == governor


def test_an_administrator_of_another_province_cannot_approve_through_the_factory_either():
    with pytest.raises(PermissionDenied):
        UserFactory(
            role=Role.EMPLOYER,
            province=province("44"),
            approved=True,
            approved__by=AdminFactory(province=province("45")),
        )


def test_administrators_are_appointed_with_their_scope():
    ministry = AdminFactory()
    provincial = AdminFactory(province=province("44"))
    assert ministry.is_platform_admin
    assert ministry.scope_province_id is None
    assert provincial.scope_province_id == province("44").pk
    assert ministry.check_password(PASSWORD)
    assert ministry.is_staff
