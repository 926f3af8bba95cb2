"""``Constant`` (smartedu/portal/prepared.py): a rule's constant written into the SQL text, so that a prepared
statement's generic plan can use the partial indexes whose conditions name it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartedu.accounts.models import Province
from smartedu.portal.prepared import Constant

pytestmark = pytest.mark.django_db


def test_a_constant_is_part_of_the_text_and_selects_what_a_parameter_would():
    with CaptureQueriesContext(connection) as queries:
        by_constant = list(Province.objects.filter(code=Constant("44")).values_list("name", flat=True))
        by_number = list(Province.objects.filter(id__gte=Constant(0)).values_list("id", flat=True))
    assert by_constant == list(Province.objects.filter(code="44").values_list("name", flat=True))
    assert by_constant == ["广东省"]
    assert len(by_number) == Province.objects.count()
    sql = queries.captured_queries[0]["sql"]
    assert "'44'" in sql
    assert ">= 0" in queries.captured_queries[1]["sql"]


@pytest.mark.parametrize("value", ["44' OR '1'='1", "open;", "", "a b", "开放", 1.5, True, None, b"open"])
def test_anything_but_a_plain_word_or_an_integer_is_refused(value):
    with pytest.raises((TypeError, ValueError)):
        list(Province.objects.filter(code=Constant(value)))
