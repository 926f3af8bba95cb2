"""Each access rule of the statistics has one home (``stats/access.py``); every entry point obeys it.

For every role, the rule's answer agrees with the API, the dashboard page and the navigation.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from smartedu.accounts.models import Role
from smartedu.portal.registry import nav_links_for
from smartedu.stats import access, registry
from tests.factories import UserFactory, province
from tests.stats.factories import admin, provincial_admin

ROLES = [
    "anonymous",
    "student",
    "teacher",
    "graduate",
    "employer",
    "employer-verified",
    "officer",
    "officer-approved",
    "ministry-admin",
    "provincial-admin",
    "superuser",
]


def make(role: str):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if role == "ministry-admin":
        return admin()
    if role == "provincial-admin":
        return provincial_admin("44")
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True, province=province("44"))
    name, _sep, state = role.partition("-")
    return UserFactory(role=Role(name), approved=bool(state))


def clients(user):
    page, api = Client(), APIClient()
    if user.is_authenticated:
        page.force_login(user)
        api.force_login(user)
    return page, api


@pytest.mark.parametrize("role", ROLES)
def test_every_entry_point_answers_as_the_rule_does(db, role):
    user = make(role)
    page, api = clients(user)
    panels = {p.key for p in registry.panels_for(user)}
    links = {link.key for link in nav_links_for(user)}

    readable = access.stats_readable(user)
    assert (api.get("/api/v1/stats/summary/").status_code == 200) is readable
    assert (page.get("/dashboard/compare/").status_code == 200) is readable
    assert ("overview" in panels) is readable

    national = access.stats_national(user)
    assert (api.get("/api/v1/stats/top/").status_code == 200) is national
    assert (page.get("/dashboard/hot/").status_code == 200) is national
    assert ({"sections", "hot"} <= panels) is national

    openable = access.dashboard_openable(user)
    assert ("dashboard" in links) is openable
    assert (page.get("/dashboard/").status_code == 200) is openable


@pytest.mark.parametrize(
    ("role", "readable", "national", "openable"),
    [
        ("anonymous", False, False, False),
        ("student", False, False, False),
        ("officer", False, False, False),
        ("officer-approved", False, False, True),
        ("ministry-admin", True, True, True),
        ("provincial-admin", True, False, True),
        ("superuser", True, True, True),
    ],
)
def test_the_rules(db, role, readable, national, openable):
    user = make(role)
    assert (access.stats_readable(user), access.stats_national(user), access.dashboard_openable(user)) == (
        readable,
        national,
        openable,
    )


def test_a_provincial_admin_s_scope_holds_on_every_entry_point(history):
    user = provincial_admin("45")
    page, api = clients(user)
    assert access.province_scope(user, None) == "45"
    # API: the province is forced, another one refused
    assert api.get("/api/v1/stats/summary/").json()["province"] == "45"
    assert api.get("/api/v1/stats/summary/", {"province": "61"}).status_code == 403
    assert api.get("/api/v1/stats/timeseries/", {"province": "61"}).status_code == 403
    # pages: another province answers like a missing one; the ranking holds their province alone
    assert page.get("/dashboard/provinces/61/").status_code == 404
    assert page.get("/dashboard/provinces/99/").status_code == 404
    assert page.get("/dashboard/provinces/45/").status_code == 200
    ranking = page.get("/dashboard/provinces/", {"export": "provinces"}).content.decode("utf-8-sig")
    assert ",45," in ranking
    assert ",61," not in ranking
    # the comparison reads their province only: 200 on d1 for 45, not the national 320
    compare = page.get(
        "/dashboard/compare/",
        {"a_start": history["d1"], "a_end": history["d1"], "b_start": history["d1"], "b_end": history["d1"]},
    )
    assert "广西壮族自治区" in compare.content.decode()
    rows = page.get(
        "/dashboard/compare/",
        {
            "a_start": history["d1"],
            "a_end": history["d1"],
            "b_start": history["d1"],
            "b_end": history["d1"],
            "export": "comparison",
        },
    ).content.decode("utf-8-sig")
    assert ",200," in rows
    # the navigation lists no national panel (other apps' province-scoped panels, such as higher education's
    # credit-course monitoring, the vocational learning rates and the employment front's progress, may join
    # the three statistics panels)
    keys = {p.key for p in registry.panels_for(user)}
    assert {"overview", "compare", "provinces"} <= keys
    assert not keys & {"sections", "hot", "searches"}
    assert keys - {"overview", "compare", "provinces"} <= {
        "higher_ed.monitoring",
        "vocational.rates",
        "employment.front.progress",
    }
