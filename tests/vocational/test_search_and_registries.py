"""Vocational joins every registry: figures, navigation, statistics and search kinds, quiz owners."""

import pytest

from smartedu.portal.registry import nav_links_for, platforms
from smartedu.quizzes.registry import quiz_owner
from smartedu.search.models import SearchDocument
from smartedu.search.registry import get_kind as search_kind
from tests.factories import vocational as f
from vocational import services
from vocational.models import CourseKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]


def test_platform_figures_are_counted():
    f.published_copy()
    platform = next(p for p in platforms() if p.key == "vocational")
    figures = {figure.key: figure.count() for figure in platform.figures}
    assert figures == {"categories": 19, "libraries": 1, "personal_courses": 1}


@pytest.mark.parametrize(
    ("maker", "expected"),
    [
        (f.student, {"vocational.me"}),
        (f.teacher, {"vocational.me"}),
        (f.admin, {"vocational.rates"}),
    ],
)
def test_navigation_links_follow_the_access_rules(maker, expected):
    keys = {link.key for link in nav_links_for(maker()) if link.key.startswith("vocational.")}
    assert keys == expected
    assert not {link.key for link in nav_links_for(None) if link.key.startswith("vocational.")}


def test_public_courses_and_libraries_are_indexed_personal_courses_are_not():
    source = f.standard_course(units=1, items=1)
    copy, _klass, _m = f.published_copy(source=source)
    indexed = set(SearchDocument.objects.filter(kind="vocational.course").values_list("object_id", flat=True))
    assert source.pk in indexed
    assert copy.pk not in indexed
    assert SearchDocument.objects.filter(kind="vocational.library", object_id=source.library_id).exists()
    document = search_kind("vocational.course").document(source)
    assert document.facets["kind"] == CourseKind.STANDARD
    assert document.facets["category"] == source.specialty.specialty_class.category.code
    services.course_update(user=None, course=source, is_published=False)
    assert not SearchDocument.objects.filter(kind="vocational.course", object_id=source.pk).exists()


def test_resource_quizzes_follow_the_resource_visibility():
    owner = quiz_owner("vocational.resource")
    assert owner is not None
    copy, _klass, (member,) = f.published_copy()
    own = services.resource_quiz_create(user=copy.owner, title="随堂小测", questions=f.QUESTIONS)
    outsider = f.student()
    assert owner.may_view(copy.owner, own.pk)
    assert not owner.may_view(outsider, own.pk)
    assert not owner.may_view(member, own.pk)  # not in the course yet
    services.item_add(user=copy.owner, unit=copy.units.first(), resource=own)
    assert owner.may_view(member, own.pk)
    assert owner.may_manage(copy.owner, own.pk)
    assert not owner.may_manage(member, own.pk)
