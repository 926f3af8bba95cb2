import pytest

from smartedu.institutions import selectors, services
from smartedu.institutions.models import Institution, InstitutionKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_reference_universities_are_loaded_with_their_provinces():
    assert Institution.objects.count() == 66
    pku = Institution.objects.get(name="北京大学")
    assert (pku.province.code, pku.city, pku.kind) == ("11", "北京", InstitutionKind.UNIVERSITY)
    assert Institution.objects.get(name="深圳职业技术大学").kind == InstitutionKind.VOCATIONAL_COLLEGE
    # Every province has at least one.
    assert Institution.objects.values("province").distinct().count() == 31


def test_list_by_province_and_kind():
    names = set(selectors.institution_list(province_code="44").values_list("name", flat=True))
    assert "中山大学" in names
    assert all(i.province.code == "44" for i in selectors.institution_list(province_code="44"))
    vocational = selectors.institution_list(kind=InstitutionKind.VOCATIONAL_COLLEGE)
    assert vocational.count() == 4


def test_an_account_has_one_affiliation_which_can_be_replaced():
    user = UserFactory()
    assert selectors.institution_id_of(user=user) is None
    sysu = Institution.objects.get(name="中山大学")
    pku = Institution.objects.get(name="北京大学")
    services.affiliation_set(user=user, institution=sysu)
    services.affiliation_set(user=user, institution=pku)
    user.refresh_from_db()
    assert selectors.institution_id_of(user=user) == pku.pk
