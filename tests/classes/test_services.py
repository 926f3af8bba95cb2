"""Class services: who may create, change, join and leave, and what a code opens."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartedu.accounts.models import Role
from smartedu.classes import codes, services
from smartedu.classes.models import Class, Membership
from tests.factories import UserFactory
from tests.factories.learning import ClassFactory, admin, join, student, teacher

pytestmark = pytest.mark.django_db

NOT_TEACHERS = [r for r in Role if r != Role.TEACHER]
NOT_STUDENTS = [r for r in Role if r != Role.STUDENT]


# --- class_create -------------------------------------------------------------------------------


def test_a_teacher_creates_an_active_class_with_a_fresh_code():
    owner = teacher(institution="深圳职业技术大学")
    klass = services.class_create(
        teacher=owner, name="  数控技术 2401班 ", platform="vocational", label="数控"
    )
    assert klass.pk
    assert klass.name == "数控技术 2401班"
    assert klass.institution == "深圳职业技术大学"  # the teacher's own by default
    assert klass.is_active
    assert codes.code_is_well_formed(klass.code)


@pytest.mark.parametrize("role", NOT_TEACHERS)
def test_only_teachers_create_classes(role):
    with pytest.raises(PermissionDenied):
        services.class_create(teacher=UserFactory(role=role), name="七年级（3）班", platform="k12")
    assert not Class.objects.exists()


def test_an_inactive_teacher_cannot_create():
    owner = teacher()
    owner.is_active = False
    owner.save()
    with pytest.raises(PermissionDenied):
        services.class_create(teacher=owner, name="七年级（3）班", platform="k12")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "班" * 101}, "name"),
        ({"name": "七年级\x00"}, "name"),
        ({"platform": "moon"}, "platform"),
        ({"platform": ""}, "platform"),
        ({"label": "x" * 101}, "label"),
        ({"institution": "x" * 201}, "institution"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    values = {"name": "七年级（3）班", "platform": "k12", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.class_create(teacher=teacher(), **values)
    assert field in exc.value.message_dict


def test_a_code_collision_is_retried(monkeypatch):
    first = ClassFactory()
    generated = iter([first.code, first.code, "ABCDEFG"])
    monkeypatch.setattr(services, "code_generate", lambda: next(generated))
    second = ClassFactory()
    assert second.code == "ABCDEFG"


# --- owner's changes: update, archive, restore, regenerate, remove ------------------------------


def test_the_owner_and_admins_update_others_may_not():
    klass = ClassFactory()
    services.class_update(user=klass.teacher, klass=klass, name="数控2401", label="数控技术")
    services.class_update(user=admin(), klass=klass, institution="某职业学院")
    klass.refresh_from_db()
    assert (klass.name, klass.label, klass.institution) == ("数控2401", "数控技术", "某职业学院")
    member = student()
    join(member, klass)
    for intruder in (teacher(), member, student(), UserFactory(role=Role.OFFICER)):
        with pytest.raises(PermissionDenied):
            services.class_update(user=intruder, klass=klass, name="hijacked")
    klass.refresh_from_db()
    assert klass.name == "数控2401"


def test_archiving_stops_the_code_and_restoring_brings_it_back():
    klass = ClassFactory()
    services.class_archive(user=klass.teacher, klass=klass)
    services.class_archive(user=klass.teacher, klass=klass)  # idempotent
    klass.refresh_from_db()
    assert not klass.is_active
    assert klass.archived_at is not None
    with pytest.raises(ValidationError) as exc:
        services.class_join(user=student(), code=klass.code)
    assert "code" in exc.value.message_dict
    services.class_restore(user=klass.teacher, klass=klass)
    membership, created = services.class_join(user=student(), code=klass.code)
    assert created
    assert membership.klass == klass


@pytest.mark.parametrize(
    "action", [services.class_archive, services.class_restore, services.class_code_regenerate]
)
def test_others_may_not_archive_restore_or_regenerate(action):
    klass = ClassFactory()
    code = klass.code
    with pytest.raises(PermissionDenied):
        action(user=teacher(), klass=klass)
    klass.refresh_from_db()
    assert klass.code == code
    assert klass.is_active


def test_a_new_code_replaces_the_old_one():
    klass = ClassFactory()
    old = klass.code
    services.class_code_regenerate(user=klass.teacher, klass=klass)
    assert klass.code != old
    with pytest.raises(ValidationError):
        services.class_join(user=student(), code=old)
    assert services.class_join(user=student(), code=klass.code)[1]


def test_the_owner_removes_a_member_others_may_not():
    klass = ClassFactory()
    member = student()
    join(member, klass)
    with pytest.raises(PermissionDenied):
        services.membership_remove(user=teacher(), klass=klass, student_id=member.pk)
    with pytest.raises(PermissionDenied):
        services.membership_remove(user=member, klass=klass, student_id=member.pk)
    assert services.membership_remove(user=klass.teacher, klass=klass, student_id=member.pk)
    assert not services.membership_remove(user=klass.teacher, klass=klass, student_id=member.pk)
    assert not Membership.objects.exists()


# --- joining and leaving -----------------------------------------------------------------------


def test_joining_twice_keeps_one_membership():
    klass = ClassFactory()
    pupil = student()
    first, created = services.class_join(user=pupil, code=klass.code)
    again, created_again = services.class_join(user=pupil, code=klass.code.lower())
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert Membership.objects.filter(klass=klass, student=pupil).count() == 1


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} ", "{dashed}"])
def test_codes_are_forgiving(typed):
    klass = ClassFactory()
    code = klass.code
    text = typed.format(
        code=code, lower=code.lower(), spaced=f"{code[:3]} {code[3:]}", dashed=f"{code[:3]}-{code[3:]}"
    )
    assert services.class_join(user=student(), code=text)[0].klass == klass


@pytest.mark.parametrize("code", ["ZZZZZZZ", "", "K7M", "' OR '1'='1", "<script>", "x" * 10000, "\x00\x00"])
def test_unknown_or_malformed_codes_are_a_validation_error_on_code(code):
    ClassFactory()
    with pytest.raises(ValidationError) as exc:
        services.class_join(user=student(), code=code)
    assert list(exc.value.message_dict) == ["code"]
    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", NOT_STUDENTS)
def test_only_students_join(role):
    klass = ClassFactory()
    with pytest.raises(PermissionDenied):
        services.class_join(user=UserFactory(role=role), code=klass.code)
    assert not Membership.objects.exists()


def test_a_platform_scoped_join_ignores_other_platforms_codes():
    k12_class = ClassFactory(platform="k12")
    with pytest.raises(ValidationError):
        services.class_join(user=student(), code=k12_class.code, platform="vocational")
    assert services.class_join(user=student(), code=k12_class.code, platform="k12")[1]


def test_leaving():
    klass = ClassFactory()
    pupil = student()
    join(pupil, klass)
    assert services.class_leave(user=pupil, klass=klass)
    assert not services.class_leave(user=pupil, klass=klass)
    assert not Membership.objects.exists()
