import json

import pytest

from higher_ed import services
from higher_ed.models import Enrollment, Platform, PlatformSwitch, UnitProgress
from tests.factories.higher_ed import course, learner, ministry_admin, platform, teacher, university
from tests.higher_ed.conftest import ROLES

pytestmark = pytest.mark.django_db

API = "/api/v1/higher-ed"
LEARNERS = {"student", "teacher", "graduate"}
DENIED = (401, 403)


@pytest.fixture
def data():
    """Two visible courses and one of a switched-off platform, with the monitoring figures computed."""
    lin = teacher("林毅夫")
    pku = course("宏观经济学", class_code="0201", teachers=(lin,), credit=True, first_class=True)
    sysu = course("数据结构", university_name="中山大学", credit=True, runs=("open", "archived"))
    hidden = course("操作系统", platform_code="xuetangx")
    services.enrollment_create(user=learner(home="中山大学"), run=pku.runs.get())
    services.enrollment_create(user=learner(), run=sysu.runs.get(status="open"))
    services.platform_switch(platform=platform("xuetangx"), enabled=False, reason="检修", by=ministry_admin())
    services.monitoring_refresh()
    return {"pku": pku, "sysu": sysu, "hidden": hidden}


# --- public reads -------------------------------------------------------------------------------------------


PUBLIC = [
    "courses/",
    "courses/{pku}/",
    "facets/",
    "suggest/?q=经济",
    "universities/",
    "teachers/",
    "platforms/",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_catalogue_is_public_for_every_role(api_client, as_role, data, role):
    as_role(role)
    for path in PUBLIC:
        response = api_client.get(f"{API}/{path.format(pku=data['pku'].pk)}")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/json")


def test_course_list_shape_and_filters(api_client, data):
    body = api_client.get(
        f"{API}/courses/", {"category": "02", "first_class": "true", "ordering": "hot"}
    ).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    item = body["results"][0]
    assert item["title"] == "宏观经济学"
    assert item["university"] == {"id": university().pk, "name": "北京大学"}
    assert item["teachers"] == [{"id": item["teachers"][0]["id"], "name": "林毅夫"}]
    assert item["category"] == {"code": "02", "name": "经济学"}
    assert item["specialty_class"] == {"code": "0201", "name": "经济学类"}
    assert item["platform"]["code"] == "icourse163"
    assert (item["languages"], item["credit"], item["credits"], item["run_statuses"]) == (
        ["zh"],
        True,
        "2.0",
        ["open"],
    )
    assert item["url"] == f"/higher-ed/courses/{data['pku'].pk}/"


def test_course_detail_has_units_runs_and_a_counted_source_link(api_client, data):
    body = api_client.get(f"{API}/courses/{data['sysu'].pk}/").json()
    assert [u["order"] for u in body["units"]] == [1, 2]
    assert sorted(r["status"] for r in body["runs"]) == ["archived", "open"]
    assert body["source_link"] == f"/higher-ed/courses/{data['sysu'].pk}/source/"
    assert body["total_video_seconds"] == 4200


def test_hidden_courses_are_404_and_absent(api_client, data):
    assert api_client.get(f"{API}/courses/{data['hidden'].pk}/").status_code == 404
    titles = [c["title"] for c in api_client.get(f"{API}/courses/").json()["results"]]
    assert "操作系统" not in titles
    assert "xuetangx" not in [p["code"] for p in api_client.get(f"{API}/platforms/").json()["results"]]


def test_facets_shape(api_client, data):
    body = api_client.get(f"{API}/facets/", {"credit": "true"}).json()
    assert list(body) == [
        "category",
        "specialty_class",
        "university",
        "platform",
        "language",
        "first_class",
        "credit",
        "international",
        "status",
    ]
    assert {"value": "true", "label": "学分课程", "count": 2} in body["credit"]
    assert body["platform"] == [{"value": "icourse163", "label": "中国大学MOOC（爱课程）", "count": 2}]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "99"}, "category"),
        ({"specialty_class": "9999"}, "specialty_class"),
        ({"university": "999999"}, "university"),
        ({"university": "abc"}, "university"),
        ({"platform": "coursera"}, "platform"),
        ({"platform": "xuetangx"}, "platform"),  # switched off
        ({"language": "tlh"}, "language"),
        ({"first_class": "yes"}, "first_class"),
        ({"credit": "1"}, "credit"),
        ({"international": "maybe"}, "international"),
        ({"status": "closed"}, "status"),
        ({"ordering": "-popularity"}, "ordering"),
        ({"q": "数" * 101}, "q"),
    ],
)
@pytest.mark.parametrize("path", ["courses/", "facets/"])
def test_unknown_filter_values_are_400_naming_the_field(api_client, data, params, field, path):
    response = api_client.get(f"{API}/{path}", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    "q",
    ["' OR 1=1 --", "a & b | !c", "数据:*", '"引号" NEAR/2 *', "<script>alert(1)</script>", "%_%", "\x00"],
)
def test_hostile_keywords_are_searched_as_text(api_client, data, q):
    for path in ("courses/", "facets/", "suggest/"):
        response = api_client.get(f"{API}/{path}", {"q": q})
        assert response.status_code in (200, 400)
        assert response.status_code == 200 or list(response.json()) == ["q"]


def test_suggest_needs_q_and_answers_names(api_client, data):
    assert list(api_client.get(f"{API}/suggest/").json()) == ["q"]
    body = api_client.get(f"{API}/suggest/", {"q": "林"}).json()
    assert body["suggestions"][0]["text"] == "林毅夫"
    assert body["suggestions"][0]["kind"] == "teacher"
    assert body["suggestions"][0]["url"].startswith("/higher-ed/teachers/")
    assert api_client.get(f"{API}/suggest/", {"q": "操作"}).json() == {"suggestions": []}  # switched off


def test_universities_and_teachers_list_only_those_with_visible_courses(api_client, data):
    universities = api_client.get(f"{API}/universities/").json()
    assert {u["name"] for u in universities["results"]} == {"北京大学", "中山大学"}
    assert api_client.get(f"{API}/universities/", {"province": "44"}).json()["count"] == 1
    assert list(api_client.get(f"{API}/universities/", {"province": "99"}).json()) == ["province"]
    teachers = api_client.get(f"{API}/teachers/").json()
    assert [t["name"] for t in teachers["results"]] == ["林毅夫"]
    assert teachers["results"][0]["course_count"] == 1


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("courses/", 3),  # catalogue token, the page of courses, their teachers
        ("courses/?category=02&credit=true&status=open", 3),
        ("facets/?category=02&credit=true&status=open", 1),
        ("suggest/?q=经济", 1),
        ("universities/", 2),
        ("teachers/", 2),
        ("platforms/", 2),
    ],
)
def test_query_counts_of_lists_are_pinned(api_client, data, django_assert_num_queries, path, queries):
    api_client.get(f"{API}/{path}")  # builds the catalogue index of this process
    with django_assert_num_queries(queries):
        assert api_client.get(f"{API}/{path}").status_code == 200


def test_list_query_count_does_not_grow_with_the_data(api_client, data, django_assert_num_queries):
    for i in range(15):
        course(f"数据库系统概论{i}", teachers=(teacher(f"教师{i}"),))
    api_client.get(f"{API}/courses/")
    with django_assert_num_queries(3):
        assert api_client.get(f"{API}/courses/").json()["count"] == 17


# --- the switch --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_ministry_admins_patch_a_platform(api_client, as_role, role):
    as_role(role)
    target = platform("zhihuishu")
    response = api_client.patch(
        f"{API}/platforms/{target.pk}/", {"enabled": False, "reason": "学分课程数据异常"}, format="json"
    )
    if role == "ministry_admin":
        assert response.status_code == 200
        assert response.json()["enabled"] is False
        assert PlatformSwitch.objects.get().reason == "学分课程数据异常"
    else:
        assert response.status_code in DENIED
        assert Platform.objects.get(pk=target.pk).enabled
        assert not PlatformSwitch.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"enabled": False}, "reason"),
        ({"enabled": False, "reason": ""}, "reason"),
        ({"enabled": False, "reason": "x" * 501}, "reason"),
        ({"reason": "检修"}, "enabled"),
        ({"enabled": "sometimes", "reason": "检修"}, "enabled"),
    ],
)
def test_a_switch_without_a_reason_or_state_is_400(api_client, body, field):
    api_client.force_authenticate(ministry_admin())
    response = api_client.patch(f"{API}/platforms/{platform().pk}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Platform.objects.get(code="icourse163").enabled


def test_admins_see_and_switch_back_a_switched_off_platform(api_client, data):
    admin = ministry_admin()
    api_client.force_authenticate(admin)
    off = platform("xuetangx")
    codes = [p["code"] for p in api_client.get(f"{API}/platforms/").json()["results"]]
    assert "xuetangx" in codes
    response = api_client.patch(
        f"{API}/platforms/{off.pk}/", {"enabled": True, "reason": "整改完成"}, format="json"
    )
    assert response.status_code == 200
    api_client.force_authenticate(None)
    assert api_client.get(f"{API}/courses/{data['hidden'].pk}/").status_code == 200


def test_the_switch_is_json_only(api_client):
    api_client.force_authenticate(ministry_admin())
    response = api_client.generic(
        "PATCH", f"{API}/platforms/{platform().pk}/", "enabled=false&reason=x", "text/plain"
    )
    assert response.status_code == 415
    assert Platform.objects.get(code="icourse163").enabled


# --- enrolments and progress -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_enrolling_by_role(api_client, as_role, data, role):
    user = as_role(role)
    run = data["pku"].runs.get()
    response = api_client.post(f"{API}/enrollments/", {"run": run.pk}, format="json")
    if role in LEARNERS:
        assert response.status_code == 201
        assert response.json()["run"]["id"] == run.pk
        again = api_client.post(f"{API}/enrollments/", {"run": run.pk}, format="json")
        assert again.status_code == 200
        assert again.json()["id"] == response.json()["id"]
        assert Enrollment.objects.filter(user=user, run=run).count() == 1
    else:
        assert response.status_code in DENIED
        assert not Enrollment.objects.filter(user_id=getattr(user, "pk", None)).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "run"),
        ({"run": "abc"}, "run"),
        ({"run": 10**9}, "run"),
        ({"run": [1, 2]}, "run"),
    ],
)
def test_bad_enrolment_bodies_are_400(api_client, body, field):
    api_client.force_authenticate(learner())
    response = api_client.post(f"{API}/enrollments/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_hidden_or_archived_run_cannot_be_enrolled_in(api_client, data):
    api_client.force_authenticate(learner())
    hidden = api_client.post(f"{API}/enrollments/", {"run": data["hidden"].runs.get().pk}, format="json")
    archived = api_client.post(
        f"{API}/enrollments/", {"run": data["sysu"].runs.get(status="archived").pk}, format="json"
    )
    assert (hidden.status_code, list(hidden.json())) == (400, ["run"])
    assert (archived.status_code, list(archived.json())) == (400, ["run"])


def test_huge_and_deeply_nested_bodies_are_refused_cleanly(api_client, data):
    api_client.force_authenticate(learner())
    nested = "[" * 5000 + "]" * 5000
    response = api_client.generic(
        "POST", f"{API}/enrollments/", '{"run": ' + nested + "}", "application/json"
    )
    assert response.status_code == 400
    huge = json.dumps({"run": data["pku"].runs.get().pk, "padding": "x" * 2_000_000})
    response = api_client.generic("POST", f"{API}/enrollments/", huge, "application/json")
    assert response.status_code in (201, 400, 413)


def test_enrolments_list_only_ones_own(api_client, data):
    user = learner()
    services.enrollment_create(user=user, run=data["sysu"].runs.get(status="open"))
    api_client.force_authenticate(user)
    body = api_client.get(f"{API}/enrollments/").json()
    assert body["count"] == 1
    assert body["results"][0]["course"]["title"] == "数据结构"
    api_client.force_authenticate(None)
    assert api_client.get(f"{API}/enrollments/").status_code in DENIED


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_progress_on_someone_elses_enrolment_is_404(api_client, as_role, data, role):
    owner = learner()
    enrollment, _ = services.enrollment_create(user=owner, run=data["pku"].runs.get())
    as_role(role)
    unit = data["pku"].units.first()
    response = api_client.post(
        f"{API}/enrollments/{enrollment.pk}/progress/", {"unit": unit.pk, "video_percent": 100}, format="json"
    )
    assert response.status_code == 404
    assert not UnitProgress.objects.exists()


def test_progress_needs_an_account(api_client, data):
    enrollment, _ = services.enrollment_create(user=learner(), run=data["pku"].runs.get())
    response = api_client.post(f"{API}/enrollments/{enrollment.pk}/progress/", {"unit": 1}, format="json")
    assert response.status_code in DENIED


def test_progress_through_the_api(api_client, data):
    user = learner()
    enrollment, _ = services.enrollment_create(user=user, run=data["pku"].runs.get())
    api_client.force_authenticate(user)
    first, second = data["pku"].units.order_by("order")
    url = f"{API}/enrollments/{enrollment.pk}/progress/"
    body = api_client.post(
        url, {"unit": first.pk, "video_percent": 100, "quizzes_done": 1, "quiz_score": 90}, format="json"
    ).json()
    assert (body["progress"], body["completed"]) == (50, False)
    body = api_client.post(
        url, {"unit": second.pk, "video_percent": 100, "quizzes_done": 2, "quiz_score": 70}, format="json"
    ).json()
    assert (body["progress"], body["completed"], body["score"]) == (100, True, 80)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"video_percent": 101}, "video_percent"),
        ({"video_percent": 150}, "video_percent"),
        ({"video_percent": -5}, "video_percent"),
        ({"video_percent": 50, "quiz_score": 101}, "quiz_score"),
        ({"video_percent": 50, "quizzes_done": 9}, "quizzes_done"),
        ({"video_percent": "all"}, "video_percent"),
    ],
)
def test_progress_beyond_100_percent_is_400(api_client, data, body, field):
    user = learner()
    enrollment, _ = services.enrollment_create(user=user, run=data["pku"].runs.get())
    api_client.force_authenticate(user)
    unit = data["pku"].units.order_by("order").first()
    response = api_client.post(
        f"{API}/enrollments/{enrollment.pk}/progress/", {"unit": unit.pk, **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not UnitProgress.objects.exists()


def test_progress_for_a_unit_of_another_course_is_400(api_client, data):
    user = learner()
    enrollment, _ = services.enrollment_create(user=user, run=data["pku"].runs.get())
    api_client.force_authenticate(user)
    other = data["sysu"].units.first()
    response = api_client.post(
        f"{API}/enrollments/{enrollment.pk}/progress/", {"unit": other.pk, "video_percent": 10}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["unit"])


# --- monitoring --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_monitoring_by_role(api_client, as_role, data, role):
    user = as_role(role)
    response = api_client.get(f"{API}/monitoring/credit-courses/")
    universities = (
        {r["university"]["name"] for r in response.json()["results"]} if response.status_code == 200 else None
    )
    if role == "ministry_admin":
        assert universities == {"北京大学", "中山大学"}
    elif role == "provincial_admin":
        assert universities == {"中山大学"}
    elif role == "provincial_admin_other":
        assert universities == {"北京大学"}  # the provincial admin of 北京 (11)
    elif role == "officer":
        assert universities == {"中山大学"}
    elif role == "officer_other_university":
        assert universities == set()
    else:
        assert response.status_code in DENIED, (role, user)


@pytest.mark.parametrize("role", ["officer", "officer_other_university", "provincial_admin_other"])
def test_another_universitys_monitoring_is_403(api_client, as_role, data, role):
    as_role(role)
    other = university("北京大学" if role == "officer" else "中山大学")
    response = api_client.get(f"{API}/monitoring/credit-courses/", {"university": other.pk})
    assert response.status_code == 403


def test_monitoring_filters_and_bad_values(api_client, data):
    api_client.force_authenticate(ministry_admin())
    term = data["pku"].runs.get().term
    rows = api_client.get(
        f"{API}/monitoring/credit-courses/",
        {"platform": "icourse163", "term": term, "university": university().pk},
    ).json()["results"]
    assert len(rows) == 1
    assert rows[0]["credit_courses"] == 1
    assert rows[0]["completion_rate"] == 0.0
    for params, field in (
        ({"term": "2024-summer"}, "term"),
        ({"platform": "coursera"}, "platform"),
        ({"university": "0"}, "university"),
    ):
        response = api_client.get(f"{API}/monitoring/credit-courses/", params)
        assert (response.status_code, list(response.json())) == (400, [field])


def test_the_schema_lists_every_endpoint(openapi_schema):
    schema = openapi_schema
    for path in (
        "courses/",
        "courses/{id}/",
        "facets/",
        "suggest/",
        "universities/",
        "teachers/",
        "platforms/",
        "platforms/{id}/",
        "enrollments/",
        "enrollments/{id}/progress/",
        "monitoring/credit-courses/",
    ):
        assert f"/api/v1/higher-ed/{path}" in schema["paths"], path


def test_typeahead_has_a_per_address_limit_of_its_own(api_client, monkeypatch):
    from higher_ed.throttles import SuggestThrottle

    monkeypatch.setattr(SuggestThrottle, "rate", "3/min")
    codes = [api_client.get(f"{API}/suggest/", {"q": "数"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = api_client.get(f"{API}/suggest/", {"q": "数"}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 200


def test_writes_are_limited_per_client_address(api_client, monkeypatch):
    from higher_ed.throttles import WriteThrottle

    monkeypatch.setattr(WriteThrottle, "rate", "2/min")
    api_client.force_authenticate(learner())
    made = course()
    codes = [
        api_client.post(f"{API}/enrollments/", {"run": made.runs.get().pk}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 200, 429]
    assert Enrollment.objects.count() == 1
