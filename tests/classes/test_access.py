"""Access rules: a forbidden class and a missing one answer alike (404)."""

import pytest
from django.http import Http404

from smartedu.accounts.models import Role
from smartedu.classes import access, services
from tests.factories import UserFactory
from tests.factories.learning import ClassFactory, admin, class_with_students, join, student, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    klass = ClassFactory()
    member = student()
    join(member, klass)
    return {
        "klass": klass,
        "anonymous": None,
        "outsider": student(),
        "member": member,
        "other_teacher": teacher(),
        "owner": klass.teacher,
        "admin": admin(),
        "officer": UserFactory(role=Role.OFFICER, approved=True),
    }


def _user(setting, who):
    from django.contrib.auth.models import AnonymousUser

    return setting[who] or AnonymousUser()


@pytest.mark.parametrize(
    ("who", "owner", "member", "viewer"),
    [
        ("anonymous", False, False, False),
        ("outsider", False, False, False),
        ("member", False, True, True),
        ("other_teacher", False, False, False),
        ("owner", True, False, True),
        ("admin", True, False, True),
        ("officer", False, False, False),
    ],
)
def test_access_per_role(setting, who, owner, member, viewer):
    user, klass = _user(setting, who), setting["klass"]
    for check, allowed in (
        (access.access_class_for_owner, owner),
        (access.access_class_for_member, member),
        (access.access_class_for_viewer, viewer),
    ):
        if allowed:
            assert check(user, klass.pk) == klass
        else:
            with pytest.raises(Http404):
                check(user, klass.pk)
    assert access.is_member(user, klass) is member


@pytest.mark.parametrize(
    "check", [access.access_class_for_owner, access.access_class_for_member, access.access_class_for_viewer]
)
def test_a_missing_class_is_404_too(setting, check):
    with pytest.raises(Http404):
        check(setting["admin"], 999999)


def test_platform_scoping_hides_other_platforms(setting):
    with pytest.raises(Http404):
        access.access_class_for_owner(setting["owner"], setting["klass"].pk, platform="k12")
    assert access.access_class_for_owner(setting["owner"], setting["klass"].pk, platform="vocational")


def test_an_archived_class_is_no_longer_the_members(setting):
    klass = setting["klass"]
    services.class_archive(user=klass.teacher, klass=klass)
    assert not access.is_member(setting["member"], klass)
    with pytest.raises(Http404):
        access.access_class_for_member(setting["member"], klass.pk)
    assert access.access_class_for_owner(setting["owner"], klass.pk) == klass


def test_classes_taught_by_and_of_student(setting):
    klass = setting["klass"]
    other = ClassFactory(teacher=setting["owner"], platform="k12")
    taught = list(access.classes_taught_by(setting["owner"]))
    assert {c.pk for c in taught} == {klass.pk, other.pk}
    assert {c.pk: c.member_count for c in taught} == {klass.pk: 1, other.pk: 0}
    assert [c.pk for c in access.classes_taught_by(setting["owner"], platform="k12")] == [other.pk]
    assert list(access.classes_taught_by(setting["member"])) == []
    assert [c.pk for c in access.classes_of_student(setting["member"])] == [klass.pk]
    assert list(access.classes_of_student(setting["outsider"])) == []
    assert list(access.classes_of_student(setting["owner"])) == []
    services.class_archive(user=klass.teacher, klass=klass)
    assert list(access.classes_of_student(setting["member"])) == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.STUDENT, True), (Role.TEACHER, True), (Role.ADMIN, False), (Role.GRADUATE, False)],
)
def test_the_classes_page_is_for_teachers_and_students(role, allowed):
    assert access.classes_page_openable(UserFactory(role=role)) is allowed


def test_a_students_classes_are_listed_once_whatever_their_size():
    big, students = class_with_students(4)
    small, _ = class_with_students(2)
    join(students[0], small)
    assert [c.pk for c in access.classes_of_student(students[0])] == [small.pk, big.pk]
