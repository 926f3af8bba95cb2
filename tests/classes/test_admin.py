"""The classes admin goes through the services: codes are generated, classes archived, not deleted."""

import pytest
from django.urls import reverse

from smartedu.accounts.models import Role
from smartedu.classes import codes
from smartedu.classes.models import Class, Membership
from tests.factories import UserFactory
from tests.factories.learning import class_with_students, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", ["class", "membership"])
def test_lists_render(client, editor, model):
    class_with_students(2)
    response = client.get(reverse(f"admin:classes_{model}_changelist"), {"q": "班"})
    assert response.status_code == 200


def test_adding_a_class_generates_its_code(client, editor):
    owner = teacher()
    response = client.post(
        reverse("admin:classes_class_add"),
        {
            "name": "机电一体化2401班",
            "teacher": owner.pk,
            "platform": "vocational",
            "label": "机电",
            "institution": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    klass = Class.objects.get()
    assert klass.teacher == owner
    assert codes.code_is_well_formed(klass.code)


def test_a_non_teacher_cannot_own_a_class(client, editor):
    response = client.post(
        reverse("admin:classes_class_add"),
        {
            "name": "x",
            "teacher": UserFactory(role=Role.STUDENT).pk,
            "platform": "vocational",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "只有教师" in response.content.decode()
    assert not Class.objects.exists()


def test_actions_regenerate_archive_and_remove(client, editor):
    klass, (_member,) = class_with_students(1)
    old = klass.code
    url = reverse("admin:classes_class_changelist")
    client.post(url, {"action": "regenerate_codes", "_selected_action": [klass.pk]})
    client.post(url, {"action": "archive", "_selected_action": [klass.pk]})
    klass.refresh_from_db()
    assert klass.code != old
    assert not klass.is_active
    membership = Membership.objects.get()
    client.post(
        reverse("admin:classes_membership_changelist"),
        {"action": "remove", "_selected_action": [membership.pk]},
    )
    assert not Membership.objects.exists()


def test_classes_are_not_deleted(client, editor):
    klass, _ = class_with_students(1)
    assert client.get(reverse("admin:classes_class_delete", args=[klass.pk])).status_code == 403
