"""The account menu shows a link only to users whose request its page would accept."""

import pytest
from django.urls import reverse

from smartedu.accounts.models import Role
from smartedu.portal.registry import nav_links_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "approved", "expected"),
    [
        (Role.STUDENT, True, set()),
        (Role.OFFICER, False, set()),
        (Role.OFFICER, True, {"dashboard"}),
        (Role.ADMIN, True, {"approvals", "dashboard", "lockouts"}),
    ],
)
def test_links_follow_the_access_rules(role, approved, expected):
    user = UserFactory(role=role)
    if approved and user.needs_approval:
        user.approved_at = user.date_joined
        user.save()
    shown = {link.key for link in nav_links_for(user)} & {"approvals", "dashboard", "lockouts"}
    assert shown == expected


@pytest.mark.parametrize("role", [Role.STUDENT, Role.OFFICER, Role.ADMIN])
def test_every_link_shown_opens(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    for link in nav_links_for(user):
        assert client.get(reverse(link.url_name)).status_code == 200, link.key
    page = client.get(reverse("portal:home")).content.decode()
    if role == Role.OFFICER:  # not approved yet: no dashboard link, whose page would answer 403
        assert reverse("dashboard:index") not in page
