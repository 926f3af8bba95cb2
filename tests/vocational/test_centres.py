"""The textbook, simulation and teacher service centres: services, pages and API, forbidden cases included."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories import vocational as f
from vocational import centres
from vocational.models import ResourceKind, Specialty, TrainingCourse

pytestmark = pytest.mark.django_db
API = "/api/v1/vocational"


def textbook(review="approved", isbn12="978704058321"):
    return centres.textbook_create(
        specialty=Specialty.objects.get(code="510203"),
        title="Python程序设计基础",
        isbn=isbn12 + centres.isbn13_check_digit(isbn12),
        publisher="人民邮电出版社",
        edition_year=2023,
        plan_status="national",
        plan_batch="十四五",
        selection_status="selected",
        review_status=review,
    )


def test_isbn_check_digit():
    assert centres.isbn13_is_valid("9787115428028")
    assert not centres.isbn13_is_valid("9787115428029")
    with pytest.raises(ValidationError):
        centres.textbook_create(
            specialty=Specialty.objects.first(),
            title="x",
            isbn="9787115428029",
            publisher="p",
            edition_year=2020,
        )


def test_textbooks_under_review_are_not_listed_and_evaluations_replace(client, api_client):
    shown = textbook()
    hidden = textbook(review="pending", isbn12="978704058322")
    assert [t["id"] for t in api_client.get(f"{API}/textbooks/").json()["results"]] == [shown.pk]
    assert client.get(f"/vocational/textbooks/{hidden.pk}/").status_code == 404
    assert api_client.post(f"{API}/textbooks/{shown.pk}/evaluations/", {"stars": 5}).status_code == 401
    user = f.student()
    api_client.force_authenticate(user)
    assert api_client.post(f"{API}/textbooks/{shown.pk}/evaluations/", {"stars": 0}).json().keys() == {
        "stars"
    }
    api_client.post(f"{API}/textbooks/{shown.pk}/evaluations/", {"stars": 2, "comment": "一般"})
    api_client.post(f"{API}/textbooks/{shown.pk}/evaluations/", {"stars": 4, "comment": "修改后好多了"})
    shown.refresh_from_db()
    assert (shown.rating_count, shown.rating_sum) == (1, 4)
    assert api_client.post(f"{API}/textbooks/{hidden.pk}/evaluations/", {"stars": 4}).status_code == 404
    page = client.get(f"/vocational/textbooks/{shown.pk}/").content.decode()
    assert "修改后好多了" in page
    assert "vocational.textbook" in page


def _simulation():
    lib = f.library()
    return f.resource(lib, "无菌技术操作虚拟仿真", exercises=False, kind=ResourceKind.SIMULATION)


def test_practice_records_are_students_own_and_idempotent(api_client):
    sim = _simulation()
    url = f"{API}/simulations/{sim.pk}/practices/"
    student = f.student()
    api_client.force_authenticate(student)
    assert api_client.post(url, {"seconds": 0, "score": 120}).json().keys() == {"seconds", "score"}
    first = api_client.post(url, {"seconds": 900, "score": 80, "client_token": "run-1"})
    assert first.status_code == 201
    assert api_client.post(url, {"seconds": 900, "score": 80, "client_token": "run-1"}).status_code == 200
    api_client.post(url, {"seconds": 600, "score": 90})
    assert api_client.get(url).json()["count"] == 2
    assert centres.practice_summary(student_id=student.pk, resource=sim) == {
        "attempts": 2,
        "seconds": 1500,
        "best": 90,
        "average": 85,
    }
    api_client.force_authenticate(f.student())
    assert api_client.get(url).json()["count"] == 0
    api_client.force_authenticate(f.teacher())
    assert api_client.post(url, {"seconds": 60, "score": 50}).status_code == 403
    not_sim = f.resource(sim.library, "视频", exercises=False)
    api_client.force_authenticate(student)
    assert (
        api_client.post(f"{API}/simulations/{not_sim.pk}/practices/", {"seconds": 60, "score": 5}).status_code
        == 404
    )


def test_simulation_page_shows_the_students_practice(client):
    sim = _simulation()
    student = f.student()
    centres.practice_record(student=student, resource=sim, seconds=1200, score=75)
    client.force_login(student)
    page = client.get(f"/vocational/simulations/{sim.pk}/").content.decode()
    assert 'id="practice-summary"' in page
    assert "75" in page
    assert client.get("/vocational/simulations/").status_code == 200


def test_training_for_teachers_and_staff_only(client, api_client):
    course = TrainingCourse.objects.create(title="课程思政教学设计与实践", provider="研究中心", hours=16)
    with pytest.raises(PermissionDenied):
        centres.training_enroll(user=f.student(), course=course)
    with pytest.raises(PermissionDenied):
        centres.training_enroll(user=UserFactory(role=Role.GRADUATE), course=course)
    teacher = f.teacher()
    api_client.force_authenticate(teacher)
    assert api_client.post(f"{API}/training/{course.pk}/completion/").json().keys() == {"course"}
    assert api_client.post(f"{API}/training/{course.pk}/enrolment/").status_code == 201
    assert api_client.post(f"{API}/training/{course.pk}/enrolment/").status_code == 200
    done = api_client.post(f"{API}/training/{course.pk}/completion/").json()
    again = api_client.post(f"{API}/training/{course.pk}/completion/").json()
    assert done["completed_at"] == again["completed_at"]
    assert api_client.get(f"{API}/training/").json()["results"][0]["enrolled"] == 1
    api_client.force_authenticate(f.student())
    assert api_client.post(f"{API}/training/{course.pk}/enrolment/").status_code == 403
    client.force_login(f.student())
    assert client.post(f"/vocational/training/{course.pk}/", {"action": "enrol"}).status_code == 403
    client.force_login(teacher)
    assert "vocational/training/" in client.get("/vocational/training/").content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_centre_lists_run_fixed_queries(client, django_assert_num_queries, n):
    for i in range(n):
        textbook(isbn12=f"97870405{8300 + i}")
        TrainingCourse.objects.create(title=f"培训{i}", provider="中心", hours=8)
    with django_assert_num_queries(2):
        assert client.get("/vocational/textbooks/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/vocational/training/").status_code == 200
