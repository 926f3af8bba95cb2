"""Reference data is loaded by data migrations from the project's own files."""

import pytest

from employment.models import Industry
from higher_ed.models import DisciplineCategory, SpecialtyClass
from k12.models import Edition, Grade, Stage, StageSubject, Subject
from smartedu.accounts.models import Province
from vocational.models import SpecialtyCategory

pytestmark = pytest.mark.django_db


def test_provinces():
    assert Province.objects.count() == 31
    assert Province.objects.get(code="45").short_name == "广西"


def test_higher_ed_has_13_categories_and_92_classes():
    assert DisciplineCategory.objects.count() == 13
    assert SpecialtyClass.objects.count() == 92
    assert DisciplineCategory.objects.get(code="14").name == "交叉学科"
    assert not DisciplineCategory.objects.filter(code="11").exists()
    assert SpecialtyClass.objects.get(code="0809").name == "计算机类"


def test_vocational_has_19_categories_41_to_59():
    codes = list(SpecialtyCategory.objects.values_list("code", flat=True))
    assert codes == [str(c) for c in range(41, 60)]


def test_industries_a_to_t():
    assert "".join(Industry.objects.values_list("code", flat=True)) == "ABCDEFGHIJKLMNOPQRST"


def test_k12_stages_grades_subjects_and_editions():
    assert list(Stage.objects.values_list("name", flat=True)) == ["小学", "初中", "高中"]
    assert Grade.objects.count() == 12
    assert Grade.objects.get(number=10).name == "高一"
    assert Edition.objects.count() == 19
    assert StageSubject.objects.get(stage__code="primary", subject__name="英语").first_grade == 3
    assert StageSubject.objects.get(stage__code="junior", subject__name="化学").first_grade == 9
    assert Subject.objects.filter(stages__code="senior").count() == 16
