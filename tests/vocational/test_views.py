"""The ``/vocational/`` pages: who may open what, forms without JavaScript, fixed query counts on lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartedu.stats.registry import get_kind
from tests.factories import vocational as f
from vocational import services
from vocational.models import CourseKind, Item, Resource

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_index_shows_the_catalogue_and_the_centres(client):
    f.library(specialty_code="510203")
    page = client.get("/vocational/").content.decode()
    assert "软件技术" in page
    assert "510203" in page
    assert reverse("vocational:libraries") in page


@pytest.mark.parametrize("n", [1, 6])
def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        f.standard_course(units=1, items=1)
    with django_assert_num_queries(3):  # session-less: count, page, categories
        assert client.get("/vocational/courses/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/vocational/libraries/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/vocational/ranking/").status_code == 200


@pytest.mark.parametrize(("units", "items"), [(1, 1), (3, 4)])
def test_course_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, units, items):
    course = f.standard_course(units=units, items=items)
    with django_assert_num_queries(3):  # course, units, items with their resources
        page = client.get(f"/vocational/courses/{course.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('href="/vocational/items/') == units * items


def test_detail_pages_carry_a_beacon_of_a_registered_kind(client):
    course = f.standard_course(units=1, items=1)
    resource = Item.objects.filter(unit__course=course).first().resource
    for url, kind in (
        (f"/vocational/courses/{course.pk}/", "vocational.course"),
        (f"/vocational/libraries/{course.library_id}/", "vocational.library"),
        (f"/vocational/resources/{resource.pk}/", "vocational.resource"),
    ):
        body = client.get(url).content.decode()
        assert kind in body
        assert get_kind(kind) is not None
    assert get_kind("vocational.course").locations([course.pk])


def test_personal_course_pages_are_for_owner_members_and_admins(client):
    copy, _klass, (member,) = f.published_copy()
    url = f"/vocational/courses/{copy.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(f.student())
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.get(f"/vocational/courses/{copy.pk}/edit/").status_code == 403
    assert client.get(f"/vocational/courses/{copy.pk}/dashboard/").status_code == 404
    assert client.get(f"/vocational/courses/{copy.pk}/upstream/").status_code == 403
    client.force_login(f.teacher())
    assert client.get(f"/vocational/courses/{copy.pk}/edit/").status_code == 404
    assert client.post(f"/vocational/courses/{copy.pk}/publish/", {"klass": 1}).status_code == 404
    client.force_login(copy.owner)
    for suffix in ("", "edit/", "dashboard/", "upstream/", "questions/"):
        assert client.get(f"{url}{suffix}").status_code == 200, suffix


def test_fork_form_is_for_teachers(client):
    source = f.standard_course(units=1, items=1)
    client.force_login(f.student())
    assert client.post(f"/vocational/courses/{source.pk}/fork/").status_code == 403
    teacher = f.teacher()
    client.force_login(teacher)
    response = client.post(f"/vocational/courses/{source.pk}/fork/")
    assert response.status_code == 302
    assert "/edit/" in response["Location"]
    assert teacher.vocational_courses.filter(kind=CourseKind.PERSONAL).count() == 1


def test_editor_moves_hides_and_uploads(client):
    copy, _klass, _members = f.published_copy(source=f.standard_course(units=2, items=2))
    client.force_login(copy.owner)
    first, second = copy.units.order_by("order")
    client.post(reverse("vocational:unit-action", args=[copy.pk, second.pk]), {"action": "up"})
    assert list(copy.units.order_by("order")) == [second, first]
    item = first.items.order_by("order").first()
    client.post(reverse("vocational:item-action", args=[copy.pk, item.pk]), {"action": "hide"})
    item.refresh_from_db()
    assert item.hidden
    fake = SimpleUploadedFile("讲义.pdf", b"PK\x03\x04 a zip, not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("vocational:upload", args=[copy.pk]), {"title": "我的讲义", "unit": first.pk, "file": fake}
    )
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not Resource.objects.filter(owner=copy.owner).exists()
    good = SimpleUploadedFile("讲义.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("vocational:upload", args=[copy.pk]), {"title": "我的讲义", "unit": first.pk, "file": good}
    )
    assert response.status_code == 302
    assert first.items.filter(title="我的讲义", resource__owner=copy.owner).exists()


def test_item_page_for_students_has_quizzes_heartbeat_and_ask_form(client):
    copy, _klass, (member,) = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.get(unit__course=copy)
    client.force_login(member)
    body = client.get(f"/vocational/items/{item.pk}/").content.decode()
    assert "quiz-form" in body
    assert "data-heartbeat" in body
    assert 'name="body"' in body
    services.item_update(user=copy.owner, item=item, hidden=True)
    assert client.get(f"/vocational/items/{item.pk}/").status_code == 404


def test_admin_rates_page_is_for_admins(client):
    client.force_login(f.teacher())
    assert client.get("/vocational/rates/").status_code == 403
    client.force_login(f.admin())
    assert client.get("/vocational/rates/").status_code == 200


def test_editor_sets_an_in_class_test(client):
    from smartedu.quizzes.models import Purpose, Quiz

    copy, klass, _members = f.published_copy(source=f.standard_course(units=1, items=1))
    item = Item.objects.get(unit__course=copy)
    client.force_login(copy.owner)
    assert "datetime-local" in client.get(f"/vocational/courses/{copy.pk}/edit/").content.decode()
    url = reverse("vocational:class-test", args=[copy.pk, item.pk])
    client.post(url, {"klass": klass.pk, "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-01T07:00"})
    assert not Quiz.objects.filter(purpose=Purpose.IN_CLASS).exists()
    client.post(url, {"klass": klass.pk, "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-01T08:45"})
    test = Quiz.objects.get(purpose=Purpose.IN_CLASS)
    assert test.klass == klass
    assert (test.closes_at - test.opens_at).seconds == 45 * 60
    client.force_login(f.teacher())
    assert client.post(url, {"klass": klass.pk}).status_code == 404
