"""``{% stats_beacon %}`` (smartedu/stats/templatetags/stats.py): kept per item, never another item's."""

import json
import re

from django.template import engines
from django.utils import translation

TEMPLATE = engines["django"].from_string("{% load stats %}{% stats_beacon kind pk %}")


def beacon_of(html: str) -> dict:
    found = re.search(r"data-stats-beacon=\"/api/v1/stats/views/\">(.*?)</script>", html)
    assert found, html
    return json.loads(found.group(1))


def test_each_item_gets_its_own_beacon_and_pixel():
    for pk in (1, 2, 1):
        html = TEMPLATE.render({"kind": "k12.lesson", "pk": pk})
        assert beacon_of(html) == {"kind": "k12.lesson", "id": pk}
        assert f'src="/api/v1/stats/views/pixel.gif?i=k12.lesson%3A{pk}"' in html
    other = TEMPLATE.render({"kind": "higher_ed.course", "pk": 1})
    assert beacon_of(other) == {"kind": "higher_ed.course", "id": 1}


def test_a_hostile_kind_cannot_close_the_script_element():
    html = TEMPLATE.render({"kind": "</script><script>alert(1)</script>", "pk": 3})
    assert "</script><script>alert" not in html
    assert beacon_of(html)["kind"] == "</script><script>alert(1)</script>"


def test_english_pages_carry_the_same_beacon():
    with translation.override("en"):
        html = TEMPLATE.render({"kind": "k12.lesson", "pk": 7})
    assert beacon_of(html) == {"kind": "k12.lesson", "id": 7}
