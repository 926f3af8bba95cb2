"""`/api/v1/vocational/`: every endpoint's forbidden cases, bad input naming the field, idempotent writes."""

import pytest

from smartedu.quizzes.models import Purpose, Quiz
from tests.factories import vocational as f
from vocational import services
from vocational.models import Course, CourseKind, Item

pytestmark = pytest.mark.django_db

API = "/api/v1/vocational"


def as_user(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


def test_catalogue_is_public_with_19_categories_and_real_codes(api_client):
    body = api_client.get(f"{API}/categories/").json()
    assert len(body) == 19
    computing = next(c for c in body if c["code"] == "51")
    assert computing["name"] == "电子与信息大类"
    classes = {c["code"]: c for c in computing["classes"]}
    assert {"code": "510203", "name": "软件技术"} in classes["5102"]["specialties"]
    specialties = api_client.get(f"{API}/specialties/?category=52").json()
    assert {s["code"] for s in specialties["results"]} >= {"520201"}


def test_libraries_list_their_partners(api_client):
    lib = f.library(specialty_code="510203")
    listed = api_client.get(f"{API}/libraries/").json()["results"]
    assert listed[0]["college_count"] == 1
    assert listed[0]["enterprise_count"] == 1
    detail = api_client.get(f"{API}/libraries/{lib.pk}/").json()
    assert {p["name"] for p in detail["partners"]} == {"深圳职业技术大学", "华为技术有限公司"}


def test_course_list_filters_and_tree(api_client, django_assert_num_queries):
    source = f.standard_course(units=2, items=2)
    f.standard_course(units=1, items=1, kind=CourseKind.QUALITY)
    assert api_client.get(f"{API}/courses/?kind=standard").json()["count"] == 1
    code = source.specialty.specialty_class.category.code
    assert api_client.get(f"{API}/courses/?category={code}&q=Python").json()["count"] == 2
    assert "kind" in api_client.get(f"{API}/courses/?kind=bogus").json()
    with django_assert_num_queries(5):  # course, units, items with their resources…: fixed
        tree = api_client.get(f"{API}/courses/{source.pk}/").json()
    assert [len(u["items"]) for u in tree["units"]] == [2, 2]


def test_course_tree_query_count_does_not_grow(api_client, django_assert_num_queries):
    small = f.standard_course(units=1, items=1)
    big = f.standard_course(units=4, items=4)
    for course in (small, big):
        with django_assert_num_queries(5):
            api_client.get(f"{API}/courses/{course.pk}/")


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("student", 403), ("admin", 403), ("teacher", 201)])
def test_fork_is_for_teachers(api_client, who, status):
    source = f.standard_course(units=1, items=1)
    user = {"student": f.student, "admin": f.admin, "teacher": f.teacher}[who]() if who else None
    response = as_user(api_client, user).post(f"{API}/courses/{source.pk}/fork/")
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body["kind"] == "personal"
        assert body["source"] == source.pk
        # a double click returns the same copy
        again = api_client.post(f"{API}/courses/{source.pk}/fork/")
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]


def test_personal_course_is_hidden_from_others_and_only_its_owner_edits(api_client):
    copy, _klass, (member,) = f.published_copy()
    outsider, other_teacher = f.student(), f.teacher()
    url = f"{API}/courses/{copy.pk}/"
    assert as_user(api_client, outsider).get(url).status_code == 404
    assert as_user(api_client, other_teacher).patch(url, {"title": "x"}).status_code == 404
    assert as_user(api_client, member).get(url).status_code == 200
    assert as_user(api_client, member).patch(url, {"title": "x"}).status_code == 403
    assert as_user(api_client, member).delete(url).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.patch(url, {"title": "x"}).status_code == 401
    owner = as_user(api_client, copy.owner)
    assert owner.patch(url, {"title": ""}).json().keys() == {"title"}
    assert owner.patch(url, {"title": "我的Python课"}).json()["title"] == "我的Python课"
    assert owner.delete(url).status_code == 204
    assert not Course.objects.filter(pk=copy.pk).exists()


def test_students_see_only_visible_units_and_items(api_client):
    copy, _klass, (member,) = f.published_copy(source=f.standard_course(units=2, items=2))
    unit = copy.units.order_by("order").first()
    item = Item.objects.filter(unit__course=copy).order_by("unit__order", "order").last()
    services.unit_update(user=copy.owner, unit=unit, hidden=True)
    services.item_update(user=copy.owner, item=item, hidden=True)
    tree = as_user(api_client, member).get(f"{API}/courses/{copy.pk}/").json()
    assert len(tree["units"]) == 1
    assert [i["id"] for i in tree["units"][0]["items"] if i["id"] == item.pk] == []
    owner_tree = as_user(api_client, copy.owner).get(f"{API}/courses/{copy.pk}/").json()
    assert len(owner_tree["units"]) == 2


def test_units_and_items_edit_hide_reorder(api_client):
    copy, _klass, (member,) = f.published_copy(source=f.standard_course(units=2, items=2))
    client = as_user(api_client, copy.owner)
    units = list(copy.units.order_by("order").values_list("pk", flat=True))
    foreign = f.standard_course(units=1, items=1).units.first().pk
    bad = client.post(f"{API}/courses/{copy.pk}/units/reorder/", {"ids": [units[0], foreign]})
    assert bad.status_code == 400
    assert str(foreign) in bad.json()["ids"][0]
    assert client.post(f"{API}/courses/{copy.pk}/units/reorder/", {"ids": "x"}).status_code == 400
    ok = client.post(f"{API}/courses/{copy.pk}/units/reorder/", {"ids": list(reversed(units))})
    assert ok.status_code == 204
    unit = units[1]
    items = list(Item.objects.filter(unit_id=unit).order_by("order").values_list("pk", flat=True))
    assert (
        client.post(f"{API}/units/{unit}/items/reorder/", {"ids": list(reversed(items))}).status_code == 204
    )
    assert client.patch(f"{API}/items/{items[0]}/", {"hidden": True}).json()["hidden"] is True
    assert (
        client.patch(f"{API}/units/{unit}/", {"title": "第一单元（改）"}).json()["title"] == "第一单元（改）"
    )
    made = client.post(f"{API}/courses/{copy.pk}/units/", {"title": "拓展单元"}).json()
    other_lib_res = f.resource(f.library(), "另一个库的资源", exercises=False)
    added = client.post(f"{API}/units/{made['id']}/items/", {"resource": other_lib_res.pk})
    assert added.status_code == 201
    assert client.post(f"{API}/units/{made['id']}/items/", {"resource": 10**9}).json() == {
        "resource": ["No such resource."]
    }
    assert client.delete(f"{API}/items/{added.json()['id']}/").status_code == 204
    # nobody else edits them
    for user in (member, f.teacher()):
        other = as_user(api_client, user)
        assert other.patch(f"{API}/items/{items[0]}/", {"hidden": False}).status_code in (403, 404)
        assert other.post(f"{API}/units/{unit}/items/reorder/", {"ids": items}).status_code in (403, 404)
        assert other.post(f"{API}/courses/{copy.pk}/units/", {"title": "x"}).status_code in (403, 404)


def test_upstream_changes_list_accept_ignore_and_conflict(api_client):
    source = f.standard_course(units=1, items=2)
    copy, _klass, (member,) = f.published_copy(source=source)
    first, second = source.units.first().items.order_by("order")
    services.item_update(user=None, item=first, title="新标题")
    services.item_delete(user=None, item=second)
    client = as_user(api_client, copy.owner)
    url = f"{API}/courses/{copy.pk}/upstream-changes/"
    changes = client.get(url).json()
    assert [c["kind"] for c in changes] == ["item_edited", "item_removed"]
    assert "+新标题" in changes[0]["diff"]
    assert client.post(url, {"change": changes[0]["id"], "decision": "accepted"}).status_code == 201
    assert client.post(url, {"change": changes[1]["id"], "decision": "ignored"}).status_code == 201
    conflict = client.post(url, {"change": changes[1]["id"], "decision": "accepted"})
    assert conflict.status_code == 409
    assert "已处理" in conflict.json()["change"][0]  # "This change was already ignored." (zh-hans first)
    assert client.post(url, {"change": changes[0]["id"], "decision": "maybe"}).json().keys() == {"decision"}
    assert [c["decision"] for c in client.get(url).json()] == ["accepted", "ignored"]
    assert as_user(api_client, member).get(url).status_code == 403
    assert as_user(api_client, f.teacher()).get(url).status_code == 404


def test_quiz_attempts_through_the_vocational_prefix(api_client):
    copy, _klass, (member,) = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.get(unit__course=copy)
    quiz = Quiz.objects.get(owner_kind="vocational.resource", owner_id=item.resource_id)
    questions = list(quiz.quiz_questions.values_list("question_id", flat=True))
    client = as_user(api_client, member)
    bad = client.post(f"{API}/quizzes/{quiz.pk}/attempts/", {"answers": [{"question": 10**9, "answer": "A"}]})
    assert bad.status_code == 400
    answers = [{"question": questions[0], "answer": "A"}, {"question": questions[1], "answer": "false"}]
    made = client.post(f"{API}/quizzes/{quiz.pk}/attempts/", {"answers": answers, "client_token": "x1"})
    assert made.status_code == 201
    assert made.json()["score"] == 50
    assert client.get(f"{API}/quizzes/{quiz.pk}/attempts/").json()["count"] == 1
    assert (
        as_user(api_client, copy.owner)
        .post(f"{API}/quizzes/{quiz.pk}/attempts/", {"answers": answers})
        .status_code
        == 403
    )


def test_in_class_test_after_its_window_is_400(api_client):
    from datetime import timedelta

    from django.utils import timezone

    copy, klass, (member,) = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.select_related("resource").get(unit__course=copy)
    now = timezone.now()
    test = services.class_test_create(
        user=copy.owner,
        resource=item.resource,
        klass=klass,
        opens_at=now - timedelta(hours=2),
        closes_at=now - timedelta(hours=1),
    )
    assert test.purpose == Purpose.IN_CLASS
    answers = [
        {"question": q, "answer": "A"} for q in test.quiz_questions.values_list("question_id", flat=True)
    ]
    response = as_user(api_client, member).post(f"{API}/quizzes/{test.pk}/attempts/", {"answers": answers})
    assert response.status_code == 400
    assert "quiz" in response.json()


def test_classes_join_unknown_code_is_400(api_client):
    response = as_user(api_client, f.student()).post(f"{API}/classes/join/", {"code": "ZZZZZZZ"})
    assert response.status_code == 400
    assert "code" in response.json()


def test_questions_and_replies(api_client):
    copy, _klass, (member,) = f.published_copy()
    client = as_user(api_client, member)
    asked = client.post(
        f"{API}/questions/", {"course": copy.pk, "body": "range 是什么？", "client_token": "q1"}
    )
    assert asked.status_code == 201
    assert (
        client.post(
            f"{API}/questions/", {"course": copy.pk, "body": "range 是什么？", "client_token": "q1"}
        ).status_code
        == 200
    )
    assert client.post(f"{API}/questions/", {"course": copy.pk, "body": ""}).json().keys() == {"body"}
    assert (
        as_user(api_client, f.student())
        .post(f"{API}/questions/", {"course": copy.pk, "body": "?"})
        .status_code
        == 404
    )
    teacher = as_user(api_client, copy.owner)
    assert teacher.get(f"{API}/questions/?course={copy.pk}").json()["count"] == 1
    reply = teacher.post(f"{API}/questions/{asked.json()['id']}/replies/", {"body": "从 1 数到 9"})
    assert reply.status_code == 201
    assert reply.json()["by_teacher"] is True
    assert teacher.get(f"{API}/questions/?course=x").status_code == 400
    assert (
        as_user(api_client, f.teacher())
        .post(f"{API}/questions/{asked.json()['id']}/replies/", {"body": "x"})
        .status_code
        == 404
    )


def test_metrics_for_owner_and_admins_only(api_client):
    copy, _klass, (member,) = f.published_copy()
    url = f"{API}/courses/{copy.pk}/metrics/"
    body = as_user(api_client, copy.owner).get(url).json()
    assert body["results"][0]["students"] == 1
    assert as_user(api_client, f.admin()).get(url).status_code == 200
    for user in (member, f.teacher(), f.student()):
        assert as_user(api_client, user).get(url).status_code == 404
    assert as_user(api_client, copy.owner).get(url + "?start=2026-01-10&end=2026-01-01").json().keys() == {
        "end"
    }
    assert as_user(api_client, copy.owner).get(url + "?start=nope").json().keys() == {"start"}


def test_ranking_and_rating(api_client):
    res = f.resource(f.library(), exercises=False)
    services.quality_scores_refresh()
    assert api_client.get(f"{API}/resources/ranking/").json()["count"] == 1
    assert api_client.get(f"{API}/resources/ranking/?direction=up").status_code == 400
    assert api_client.post(f"{API}/resources/{res.pk}/rating/", {"stars": 5}).status_code == 401
    client = as_user(api_client, f.student())
    assert client.post(f"{API}/resources/{res.pk}/rating/", {"stars": 9}).json().keys() == {"stars"}
    assert client.post(f"{API}/resources/{res.pk}/rating/", {"stars": 4}).json()["stars"] == 4


def test_heartbeat_is_for_the_course_students(api_client):
    copy, _klass, (member,) = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.get(unit__course=copy)
    url = f"{API}/items/{item.pk}/heartbeat/"
    assert as_user(api_client, member).post(url).status_code == 202
    assert as_user(api_client, f.student()).post(url).status_code == 404
    assert as_user(api_client, copy.owner).post(url).status_code == 400


def test_teachers_make_their_own_quiz_resources(api_client):
    url = f"{API}/resources/quizzes/"
    body = {"title": "随堂小测：循环", "questions": f.QUESTIONS}
    assert api_client.post(url, body).status_code == 401
    assert as_user(api_client, f.student()).post(url, body).status_code == 403
    client = as_user(api_client, f.teacher())
    bad = client.post(url, {"title": "x", "questions": [{**f.QUESTIONS[0], "answer": "Z"}]})
    assert bad.status_code == 400
    assert "questions[0]" in bad.json()
    made = client.post(url, body)
    assert made.status_code == 201
    assert made.json()["kind"] == "quiz"
    assert Quiz.objects.filter(owner_kind="vocational.resource", owner_id=made.json()["id"]).count() == 1


def test_in_class_tests_are_set_by_the_owner_for_a_published_class(api_client):
    from datetime import timedelta

    from django.utils import timezone

    copy, klass, (member,) = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.get(unit__course=copy)
    now = timezone.now()
    body = {
        "item": item.pk,
        "klass": klass.pk,
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(hours=1)).isoformat(),
    }
    url = f"{API}/courses/{copy.pk}/class-tests/"
    assert as_user(api_client, member).post(url, body).status_code == 403
    assert as_user(api_client, f.teacher()).post(url, body).status_code == 404
    client = as_user(api_client, copy.owner)
    assert client.post(url, {**body, "closes_at": (now - timedelta(hours=1)).isoformat()}).json().keys() == {
        "closes_at"
    }
    assert client.post(url, {**body, "klass": 10**9}).json().keys() == {"klass"}
    made = client.post(url, body)
    assert made.status_code == 201
    test = Quiz.objects.get(pk=made.json()["quiz"])
    assert test.purpose == Purpose.IN_CLASS
    assert test.klass == klass
