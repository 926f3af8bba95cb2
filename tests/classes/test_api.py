"""``/api/v1/classes/`` and the same views mounted under a sub-platform (``/api/v1/vocational/classes/``)."""

import pytest

from smartedu.accounts.models import Role
from smartedu.classes.models import Class, Membership
from tests.factories import UserFactory
from tests.factories.learning import ClassFactory, admin, class_with_students, join, student, teacher

pytestmark = pytest.mark.django_db

API = "/api/v1/classes"
VOCATIONAL = "/api/v1/vocational/classes"
DENIED_ANONYMOUS = (401, 403)


@pytest.fixture
def world():
    klass, (member,) = class_with_students(1)
    return {
        "klass": klass,
        "anonymous": None,
        "outsider": student(),
        "member": member,
        "other_teacher": teacher(),
        "owner": klass.teacher,
        "admin": admin(),
        "graduate": UserFactory(role=Role.GRADUATE),
    }


def as_(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


# --- list and create ----------------------------------------------------------------------------


def test_the_list_is_mine_taught_or_joined(api_client, world):
    ClassFactory()  # someone else's
    owner_view = as_(api_client, world["owner"]).get(f"{API}/").json()
    assert owner_view["count"] == 1
    row = owner_view["results"][0]
    assert row["code"] == world["klass"].code
    assert row["role"] == "teacher"
    assert row["member_count"] == 1
    assert row["teacher"]["id"] == world["owner"].pk
    member_view = as_(api_client, world["member"]).get(f"{API}/").json()
    assert [r["id"] for r in member_view["results"]] == [world["klass"].pk]
    assert member_view["results"][0]["code"] is None  # only the teacher sees the code
    assert member_view["results"][0]["role"] == "student"
    assert as_(api_client, world["outsider"]).get(f"{API}/").json()["count"] == 0


def test_anonymous_clients_are_refused(api_client, world):
    assert api_client.get(f"{API}/").status_code in DENIED_ANONYMOUS
    assert api_client.post(f"{API}/", {"name": "x", "platform": "k12"}).status_code in DENIED_ANONYMOUS
    assert api_client.post(f"{API}/join/", {"code": world["klass"].code}).status_code in DENIED_ANONYMOUS
    assert api_client.get(f"{API}/{world['klass'].pk}/").status_code in DENIED_ANONYMOUS
    assert not Membership.objects.exclude(student=world["member"]).exists()


def test_the_list_query_count_is_fixed(api_client, django_assert_num_queries):
    owner = teacher()
    for _ in range(4):
        klass = ClassFactory(teacher=owner)
        for _ in range(3):
            join(student(), klass)
    as_(api_client, owner)
    with django_assert_num_queries(2):  # count + page (teacher joined, member counts annotated)
        body = api_client.get(f"{API}/").json()
    assert [r["member_count"] for r in body["results"]] == [3, 3, 3, 3]


def test_a_teacher_creates_a_class(api_client):
    owner = teacher()
    response = as_(api_client, owner).post(
        f"{API}/", {"name": "七年级（3）班", "platform": "k12", "label": "数学"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["platform"] == "k12"
    assert len(body["code"]) == 7
    assert Class.objects.get(pk=body["id"]).teacher == owner


@pytest.mark.parametrize("role", [r for r in Role if r != Role.TEACHER])
def test_other_roles_may_not_create(api_client, role):
    response = as_(api_client, UserFactory(role=role)).post(f"{API}/", {"name": "班", "platform": "k12"})
    assert response.status_code == 403
    assert not Class.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "班", "platform": "moon"}, "platform"),
        ({"name": "班"}, "platform"),
        ({"platform": "k12"}, "name"),
        ({"name": "班" * 5000, "platform": "k12"}, "name"),
        ({"name": {"nested": ["deep"]}, "platform": "k12"}, "name"),
        ({"name": ["a", "b"], "platform": "k12"}, "name"),
        ({"name": "a\x00b", "platform": "k12"}, "name"),
        ({"name": "班", "platform": "k12", "label": "x" * 101}, "label"),
    ],
)
def test_bad_input_is_400_naming_the_field(api_client, body, field):
    response = as_(api_client, teacher()).post(f"{API}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Class.objects.exists()


def test_a_body_that_is_not_json_is_refused(api_client):
    response = as_(api_client, teacher()).post(
        f"{API}/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


# --- join -----------------------------------------------------------------------------------------


def test_joining_is_201_then_200(api_client, world):
    pupil = world["outsider"]
    first = as_(api_client, pupil).post(f"{API}/join/", {"code": world["klass"].code.lower()})
    assert first.status_code == 201
    assert first.json()["id"] == world["klass"].pk
    again = api_client.post(f"{API}/join/", {"code": world["klass"].code})
    assert again.status_code == 200
    assert Membership.objects.filter(student=pupil).count() == 1


@pytest.mark.parametrize("code", ["ZZZZZZZ", "K7M", "", "<img src=x onerror=alert(1)>"])
def test_an_unknown_code_is_400_on_code(api_client, code):
    ClassFactory()
    response = as_(api_client, student()).post(f"{API}/join/", {"code": code})
    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("body", [{"code": {"$ne": ""}}, {"code": ["ABCDEFG"]}, {}, {"code": "A" * 33}])
def test_a_malformed_join_body_is_400_on_code(api_client, body):
    response = as_(api_client, student()).post(f"{API}/join/", body, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("who", ["owner", "other_teacher", "admin", "graduate"])
def test_only_students_join(api_client, world, who):
    response = as_(api_client, world[who]).post(f"{API}/join/", {"code": world["klass"].code})
    assert response.status_code == 403
    assert Membership.objects.count() == 1


# --- detail and the owner's actions ------------------------------------------------------------

ROLE_STATUS = {
    # who: (GET detail, owner-only actions)
    "outsider": (404, 404),
    "member": (200, 404),
    "other_teacher": (404, 404),
    "owner": (200, 200),
    "admin": (200, 200),
    "graduate": (404, 404),
}


@pytest.mark.parametrize("who", list(ROLE_STATUS))
def test_detail_and_owner_actions_per_role(api_client, world, who):
    klass = world["klass"]
    read, manage = ROLE_STATUS[who]
    client = as_(api_client, world[who])
    detail = client.get(f"{API}/{klass.pk}/")
    assert detail.status_code == read
    if read == 200:
        assert (detail.json()["code"] is not None) is (manage == 200)
    assert client.patch(f"{API}/{klass.pk}/", {"name": "改名"}).status_code == manage
    assert client.get(f"{API}/{klass.pk}/members/").status_code == manage
    old_code = klass.code
    assert client.post(f"{API}/{klass.pk}/code/").status_code == manage
    klass.refresh_from_db()
    assert (klass.code != old_code) is (manage == 200)
    assert (klass.name == "改名") is (manage == 200)
    removal = client.delete(f"{API}/{klass.pk}/members/{world['member'].pk}/")
    assert removal.status_code == (204 if manage == 200 else 404)
    assert client.post(f"{API}/{klass.pk}/archive/").status_code == manage
    klass.refresh_from_db()
    assert klass.is_active is (manage != 200)


def test_a_missing_class_is_404_like_a_forbidden_one(api_client, world):
    assert as_(api_client, world["admin"]).get(f"{API}/999999/").status_code == 404


def test_members_list_for_the_owner(api_client, django_assert_num_queries):
    klass, students = class_with_students(5)
    as_(api_client, klass.teacher)
    with django_assert_num_queries(3):  # the class, count, page with the students
        body = api_client.get(f"{API}/{klass.pk}/members/").json()
    assert body["count"] == 5
    assert [m["student"]["id"] for m in body["results"]] == [s.pk for s in students]


def test_removing_a_non_member_is_404(api_client, world):
    response = as_(api_client, world["owner"]).delete(
        f"{API}/{world['klass'].pk}/members/{world['outsider'].pk}/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("member", 204), ("outsider", 404), ("owner", 404), ("admin", 404)]
)
def test_leaving(api_client, world, who, status):
    assert as_(api_client, world[who]).post(f"{API}/{world['klass'].pk}/leave/").status_code == status
    assert Membership.objects.filter(student=world["member"]).exists() is (who != "member")


def test_patch_rejects_bad_input(api_client, world):
    response = as_(api_client, world["owner"]).patch(f"{API}/{world['klass'].pk}/", {"name": "  "})
    assert response.status_code == 400
    assert "name" in response.json()


# --- mounted under a sub-platform ----------------------------------------------------------------


@pytest.mark.urls("tests.classes.urls_mounted")
def test_vocational_mount_is_scoped_to_its_classes(api_client):
    owner = teacher()
    mine = ClassFactory(teacher=owner, platform="vocational")
    k12 = ClassFactory(teacher=owner, platform="k12")
    as_(api_client, owner)
    listed = api_client.get(f"{VOCATIONAL}/").json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    created = api_client.post(f"{VOCATIONAL}/", {"name": "电商2301班", "platform": "k12"})
    assert created.status_code == 201
    assert created.json()["platform"] == "vocational"  # the mount decides
    assert api_client.get(f"{VOCATIONAL}/{k12.pk}/").status_code == 404
    pupil = student()
    as_(api_client, pupil)
    unknown = api_client.post(f"{VOCATIONAL}/join/", {"code": k12.code})
    assert unknown.status_code == 400
    assert "code" in unknown.json()
    assert api_client.post(f"{VOCATIONAL}/join/", {"code": mine.code}).status_code == 201
    assert (
        api_client.post(f"{API}/join/", {"code": k12.code}).status_code == 201
    )  # the generic mount takes any
