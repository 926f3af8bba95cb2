"""K-12's content kinds: beacons on its detail pages, rollups by section and column, ``view_count``."""

import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from k12.models import Column
from smartedu.stats import registry, selectors, services
from smartedu.stats.models import ObjectDailyView, SectionDailyView
from smartedu.stats.tasks import flush_view_counts_task
from tests.factories.k12 import ETextbookFactory, LessonFactory, ResourceFactory, column
from tests.stats.conftest import beacon, rollup_totals


def test_k12_registers_its_content_kinds():
    keys = {k.key for k in registry.kinds() if k.platform == "k12"}
    assert {"k12.resource", "k12.lesson", "k12.etextbook"} <= keys


@pytest.mark.parametrize(
    ("factory", "kind", "url"),
    [
        (ResourceFactory, "k12.resource", "/k12/resources/{}/"),
        (LessonFactory, "k12.lesson", "/k12/lessons/{}/"),
        (ETextbookFactory, "k12.etextbook", "/k12/etextbooks/{}/"),
    ],
)
def test_detail_pages_carry_a_beacon_and_a_noscript_pixel(db, factory, kind, url):
    obj = factory()
    html = Client().get(url.format(obj.pk)).content.decode()
    data = re.search(
        r'<script type="application/json" data-stats-beacon="/api/v1/stats/views/">(.*?)</script>', html
    )
    assert data, "no beacon"
    assert json.loads(data.group(1)) == {"kind": kind, "id": obj.pk}
    assert (
        f'<noscript><img class="stats-pixel" src="/api/v1/stats/views/pixel.gif?i={kind}%3A{obj.pk}"' in html
    )
    assert "stats/beacon.js" in html


def test_the_home_page_counts_itself(db):
    html = Client().get("/").content.decode()
    assert '{"kind": "portal.home", "id": 0}' in html


@pytest.mark.usefixtures("committed_db")
def test_resource_views_roll_up_by_section_and_column_and_raise_view_count():
    # given resources in two columns and a lesson
    party, other = column("party-history"), ResourceFactory().column
    a = ResourceFactory(column=party, section=party.section)
    b = ResourceFactory(column=party, section=party.section)
    lesson = LessonFactory()
    client = APIClient()
    # when
    for _ in range(3):
        beacon(client, [{"kind": "k12.resource", "id": a.pk}, {"kind": "k12.lesson", "id": lesson.pk}])
    beacon(client, [{"kind": "k12.resource", "id": b.pk}])
    services.view_counts_flush()
    # then
    a.refresh_from_db()
    b.refresh_from_db()
    lesson.refresh_from_db()
    assert (a.view_count, b.view_count, lesson.view_count) == (3, 1, 3)
    course_column = Column.objects.get(stage=lesson.textbook.stage)  # lessons sit in their stage's column
    rows = {(r.section_ref, r.column_ref): r.views for r in SectionDailyView.objects.all()}
    assert rows == {
        (f"k12.section:{party.section_id}", f"k12.column:{party.pk}"): 4,
        (f"k12.section:{course_column.section_id}", f"k12.column:{course_column.pk}"): 3,
    }
    assert other is not None
    top = selectors.hot_content(period=selectors.default_period(), platform="k12")
    assert [(i.kind, i.object_id, i.views) for i in top] == [
        ("k12.lesson", lesson.pk, 3),
        ("k12.resource", a.pk, 3),
        ("k12.resource", b.pk, 1),
    ]
    assert top[1].url == f"/k12/resources/{a.pk}/"
    assert top[1].title == a.title
    sections, columns = selectors.section_ranking(period=selectors.default_period())
    assert (sections[0].section, columns[0].column, columns[0].views) == (party.section.name, party.name, 4)


@pytest.mark.worker
def test_the_worker_counts_k12_content_exactly(make_worker):
    make_worker()
    resource = ResourceFactory()
    for _ in range(12):
        beacon(APIClient(), [{"kind": "k12.resource", "id": resource.pk}])
    flush_view_counts_task.delay().get(timeout=90)
    resource.refresh_from_db()
    assert resource.view_count == 12
    assert ObjectDailyView.objects.get(kind="k12.resource", object_id=resource.pk).views == 12
    assert rollup_totals() == {"platform_day": 12, "platform_hour": 12, "province_day": 12}


def test_lessons_and_etextbooks_are_located_in_their_stage_column(db, django_assert_max_num_queries):
    lesson, etextbook = LessonFactory(), ETextbookFactory()
    lesson_kind, etextbook_kind = registry.get_kind("k12.lesson"), registry.get_kind("k12.etextbook")
    with django_assert_max_num_queries(2):
        located = lesson_kind.locations([lesson.pk, 10**9])
    column = Column.objects.get(stage=lesson.textbook.stage)
    assert set(located) == {lesson.pk}  # an unknown id is not located
    assert located[lesson.pk].column_ref == f"k12.column:{column.pk}"
    assert located[lesson.pk].section_ref == f"k12.section:{column.section_id}"
    etextbook_column = Column.objects.get(stage=etextbook.stage)
    assert (
        etextbook_kind.locations([etextbook.pk])[etextbook.pk].column_ref
        == f"k12.column:{etextbook_column.pk}"
    )
