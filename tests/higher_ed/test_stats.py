"""Higher education in the view statistics: its content kinds, locations and beacons."""

import pytest

from higher_ed.models import Platform
from smartedu.stats.registry import get_kind
from tests.factories.higher_ed import course, teacher

pytestmark = pytest.mark.django_db


def test_courses_count_in_their_category_and_class_and_hidden_ones_count_nothing():
    shown = course()
    hidden = course("操作系统", platform_code="xuetangx")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    kind = get_kind("higher_ed.course")
    locations = kind.locations([shown.pk, hidden.pk])
    assert list(locations) == [shown.pk]
    assert locations[shown.pk].section_ref == f"higher_ed.disciplinecategory:{shown.category_id}"
    assert locations[shown.pk].column_ref == f"higher_ed.specialtyclass:{shown.specialty_class_id}"


def test_university_and_teacher_kinds_know_only_pages_with_visible_courses():
    lin = teacher("林毅夫")
    made = course(teachers=(lin,))
    assert list(get_kind("higher_ed.university").locations([made.university_id, 999_999])) == [
        made.university_id
    ]
    assert list(get_kind("higher_ed.teacher").locations([lin.pk, 999_999])) == [lin.pk]


def test_detail_pages_carry_the_beacon(client):
    lin = teacher("林毅夫")
    made = course(teachers=(lin,))
    for path, kind, pk in (
        (f"/higher-ed/courses/{made.pk}/", "higher_ed.course", made.pk),
        (f"/higher-ed/universities/{made.university_id}/", "higher_ed.university", made.university_id),
        (f"/higher-ed/teachers/{lin.pk}/", "higher_ed.teacher", lin.pk),
    ):
        assert f'{{"kind": "{kind}", "id": {pk}}}' in client.get(path).text, path
