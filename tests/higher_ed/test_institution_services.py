"""The helpers higher education's seed uses to add universities (smartedu/institutions/services.py)."""

import pytest

from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution
from smartedu.institutions.services import (
    InstitutionSpec,
    institution_get_or_create,
    institutions_bulk_get_or_create,
)

pytestmark = pytest.mark.django_db


def test_get_or_create_keeps_an_existing_institution():
    guangdong = Province.objects.get(code="44")
    sysu, created = institution_get_or_create(name="中山大学", province=guangdong, city="深圳")
    assert not created
    assert sysu.city == "广州"
    new, created = institution_get_or_create(name=" 韶关理工学院 ", province=guangdong, city="韶关")
    assert created
    assert new.name == "韶关理工学院"


def test_bulk_creates_only_the_missing_ones_once():
    code = Province.objects.get(code="53").pk
    specs = [
        InstitutionSpec(name="曲靖师范学院", province_id=code, city="曲靖", category="师范"),
        InstitutionSpec(name="云南大学", province_id=code, city="昆明"),
        InstitutionSpec(name="曲靖师范学院", province_id=code, city="曲靖"),
    ]
    assert institutions_bulk_get_or_create(specs=specs) == 1
    assert institutions_bulk_get_or_create(specs=specs) == 0
    assert Institution.objects.get(name="曲靖师范学院").category == "师范"
