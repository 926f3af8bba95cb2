"""``/classes/``: a teacher's classes and a student's, server-rendered and working without JavaScript."""

import re

import pytest
from django.urls import reverse

from smartedu.accounts.models import Role
from smartedu.classes.models import Class, Membership
from smartedu.portal.registry import nav_links_for
from tests.factories import UserFactory
from tests.factories.learning import ClassFactory, admin, class_with_students, student, teacher

pytestmark = pytest.mark.django_db


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("classes:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.GRADUATE, Role.EMPLOYER, Role.OFFICER])
def test_other_roles_get_403_and_no_menu_link(client, role):
    user = UserFactory(role=role, approved=True)
    assert page(client, user, reverse("classes:list")).status_code == 403
    assert "classes" not in {link.key for link in nav_links_for(user)}


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT])
def test_teachers_and_students_have_the_menu_link(client, role):
    user = UserFactory(role=role)
    assert "classes" in {link.key for link in nav_links_for(user)}
    home = page(client, user, reverse("portal:home")).content.decode()
    assert reverse("classes:list") in home
    assert "我的班级" in home


def test_a_teacher_sees_codes_and_member_counts(client):
    owner = teacher()
    klass, _students = class_with_students(3, teacher=owner, name="数控技术2401班")
    ClassFactory(name="别人的班级")
    body = page(client, owner, reverse("classes:list")).content.decode()
    assert "数控技术2401班" in body
    assert klass.code in body
    assert "别人的班级" not in body
    assert "<dd>3</dd>" in body
    assert 'name="platform"' in body  # the create form


def test_a_student_sees_joined_classes_and_the_join_form_but_no_code(client):
    klass, (pupil,) = class_with_students(1, name="电子商务2302班")
    ClassFactory(name="没加入的班")
    body = page(client, pupil, reverse("classes:list")).content.decode()
    assert "电子商务2302班" in body
    assert "没加入的班" not in body
    assert klass.code not in body
    assert 'name="code"' in body
    assert "加入班级" in body


def test_list_page_query_count_is_fixed(client, django_assert_num_queries):
    owner = teacher()
    for _ in range(5):
        class_with_students(2, teacher=owner)
    client.force_login(owner)
    client.get(reverse("classes:list"))  # warm the session
    with django_assert_num_queries(4):  # session, user, count, page with member counts
        response = client.get(reverse("classes:list"))
    assert response.content.decode().count("card class-card") == 5


def test_detail_page_query_count_is_fixed(client, django_assert_num_queries):
    klass, _students = class_with_students(6)
    client.force_login(klass.teacher)
    client.get(reverse("classes:detail", args=[klass.pk]))
    with django_assert_num_queries(5):  # session, user, class with teacher, count, members
        response = client.get(reverse("classes:detail", args=[klass.pk]))
    assert response.content.decode().count("class-member-name") == 6


def test_creating_a_class_through_the_page(client):
    owner = teacher()
    client.force_login(owner)
    response = client.post(
        reverse("classes:create"),
        {"name": "七年级（3）班", "platform": "k12", "label": "七年级 数学", "institution": ""},
    )
    klass = Class.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:detail", args=[klass.pk])
    assert klass.teacher == owner
    assert klass.platform == "k12"


def test_a_bad_create_form_is_400_with_the_error(client):
    client.force_login(teacher())
    response = client.post(reverse("classes:create"), {"name": "", "platform": "moon"})
    assert response.status_code == 400
    assert not Class.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_students_cannot_create_and_teachers_cannot_join(client):
    klass = ClassFactory()
    client.force_login(student())
    assert client.post(reverse("classes:create"), {"name": "x", "platform": "k12"}).status_code == 403
    client.force_login(teacher())
    assert client.post(reverse("classes:join"), {"code": klass.code}).status_code == 403
    assert Class.objects.count() == 1
    assert not Membership.objects.exists()


def test_joining_through_the_page(client):
    klass = ClassFactory(name="数控技术2401班")
    pupil = student()
    client.force_login(pupil)
    response = client.post(reverse("classes:join"), {"code": f" {klass.code.lower()} "}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classes:detail", args=[klass.pk])
    assert "你已加入数控技术2401班" in response.content.decode()
    again = client.post(reverse("classes:join"), {"code": klass.code}, follow=True)
    assert "你已经在数控技术2401班中了" in again.content.decode()
    assert Membership.objects.filter(student=pupil).count() == 1


def test_an_unknown_code_shows_the_error_on_the_field(client):
    client.force_login(student())
    response = client.post(reverse("classes:join"), {"code": "ZZZZZZZ"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "没有使用该班级码的班级" in body
    assert 'aria-describedby="id_code_helptext id_code_error"' in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("member", 200), ("other_teacher", 404), ("owner", 200), ("admin", 200)],
)
def test_detail_page_per_role(client, who, status):
    klass, (member,) = class_with_students(1)
    users = {
        "outsider": student(),
        "member": member,
        "other_teacher": teacher(),
        "owner": klass.teacher,
        "admin": admin(),
    }
    response = page(client, users[who], reverse("classes:detail", args=[klass.pk]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        manages = who in ("owner", "admin")
        assert (klass.code in body) is manages
        assert ("退出班级" in body) is (who == "member")


@pytest.mark.parametrize("action", ["edit", "code", "archive", "restore"])
def test_owner_actions_are_404_for_others(client, action):
    klass, (member,) = class_with_students(1)
    for intruder in (member, teacher(), student()):
        client.force_login(intruder)
        assert client.post(reverse(f"classes:{action}", args=[klass.pk]), {"name": "x"}).status_code == 404
    client.force_login(member)
    url = reverse("classes:member-remove", args=[klass.pk, member.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.count() == 1


def test_the_owner_manages_the_class_through_the_page(client):
    klass, (member,) = class_with_students(1)
    client.force_login(klass.teacher)
    old = klass.code
    client.post(reverse("classes:code", args=[klass.pk]))
    klass.refresh_from_db()
    assert klass.code != old
    client.post(
        reverse("classes:edit", args=[klass.pk]),
        {"name": "数控2401", "label": "数控", "institution": "某学院"},
    )
    klass.refresh_from_db()
    assert klass.name == "数控2401"
    client.post(reverse("classes:member-remove", args=[klass.pk, member.pk]))
    assert not Membership.objects.exists()
    client.post(reverse("classes:archive", args=[klass.pk]))
    klass.refresh_from_db()
    assert not klass.is_active
    client.post(reverse("classes:restore", args=[klass.pk]))
    klass.refresh_from_db()
    assert klass.is_active


def test_a_student_leaves_through_the_page(client):
    klass, (member,) = class_with_students(1)
    client.force_login(member)
    response = client.post(reverse("classes:leave", args=[klass.pk]))
    assert response.status_code == 302
    assert not Membership.objects.exists()
    client.force_login(student())
    assert client.post(reverse("classes:leave", args=[klass.pk])).status_code == 404


def test_actions_need_post(client):
    klass = ClassFactory()
    client.force_login(klass.teacher)
    assert client.get(reverse("classes:archive", args=[klass.pk])).status_code == 405


def test_pages_render_in_english_too(client):
    _klass, (member,) = class_with_students(1)
    client.force_login(member)
    body = client.get(f"/en{reverse('classes:list')}").content.decode()
    assert "Join a class" in body


def test_labels_have_no_ascii_colon(client):
    client.force_login(teacher())
    body = client.get(reverse("classes:list")).content.decode()
    assert re.findall(r"<label[^>]*>[^<]*:</label>", body) == []
