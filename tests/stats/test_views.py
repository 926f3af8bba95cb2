"""The dashboards: who may open them, figures against hand sums, CSV exports, pinned query counts."""

import csv
import io
import re

import pytest
from django.test import Client

from smartedu.accounts.models import Role
from smartedu.stats import selectors, services
from tests.factories import UserFactory
from tests.stats.factories import admin, provincial_admin

PAGES = [
    "/dashboard/",
    "/dashboard/compare/",
    "/dashboard/provinces/",
    "/dashboard/provinces/45/",
    "/dashboard/sections/",
    "/dashboard/hot/",
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kpi(html: str, name: str) -> str:
    match = re.search(rf'data-kpi="{name}"><dt>[^<]*</dt><dd>(.*?)</dd>', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.GRADUATE, Role.EMPLOYER])
def test_other_roles_are_forbidden(db, path, role):
    user = UserFactory(role=role, username=str(role), approved=True)
    assert client_for(user).get(path).status_code == 403


def test_an_officer_has_a_dashboard_place_but_no_view_statistics(db):
    officer = client_for(UserFactory(role=Role.OFFICER, username="officer1", approved=True))
    response = officer.get("/dashboard/")
    assert response.status_code == 200
    assert b"data-kpi" not in response.content
    for path in PAGES[1:]:
        assert officer.get(path).status_code == 403
    unapproved = client_for(UserFactory(role=Role.OFFICER, username="officer2"))
    assert unapproved.get("/dashboard/").status_code == 403


def test_the_overview_shows_hand_summed_figures(history):
    html = client_for(admin()).get("/dashboard/").content.decode()
    assert kpi(html, "total") == "470"
    assert kpi(html, "average") == "5"  # 470 / 90
    assert kpi(html, "peak").startswith("320")
    assert history["d1"].isoformat() in kpi(html, "peak")
    assert kpi(html, "today") == "50"
    assert kpi(html, "visitors") == "20"
    # the data table carries the curve: one row a day for 90 days
    assert html.count('<th scope="row">') == 90
    assert 'id="table-trend"' in html
    assert 'data-chart="trend"' in html
    assert "vendor/echarts/echarts.min.js" in html


def test_the_overview_filters_by_platform_and_period(history):
    client = client_for(admin())
    html = client.get(
        "/dashboard/", {"platform": "vocational", "start": history["d2"], "end": history["today"]}
    ).content.decode()
    assert kpi(html, "total") == "20"
    assert html.count('<th scope="row">') == 3
    bad = client.get("/dashboard/", {"start": "2024-05-02", "end": "2024-05-01"})
    assert bad.status_code == 400
    assert "errorlist" in bad.content.decode()


def test_the_trend_exports_as_csv(history):
    response = client_for(admin()).get("/dashboard/", {"export": "trend"})
    rows = csv_rows(response)
    assert len(rows) == 1 + 90
    assert rows[0][0] in ("Date", "日期")
    total_column = [int(r[-1]) for r in rows[1:]]
    assert sum(total_column) == 470
    assert rows[-1][0] == history["today"].isoformat()
    assert int(rows[-1][-1]) == 50
    assert client_for(admin()).get("/dashboard/", {"export": "nothing"}).status_code == 404


def test_comparing_two_periods(history):
    client = client_for(admin())
    params = {
        "a_start": history["d2"],
        "a_end": history["d2"],
        "b_start": history["d1"],
        "b_end": history["d1"],
    }
    html = client.get("/dashboard/compare/", params).content.decode()
    assert kpi(html, "multiple") == "3.20×"  # 320 / 100
    assert kpi(html, "growth") == "2.2×"
    assert kpi(html, "yoy-b") == "100%"  # 320 against 160 a year before
    rows = csv_rows(client.get("/dashboard/compare/", {**params, "export": "comparison"}))
    assert [r[4] for r in rows[1:]] == ["100", "320"]
    assert rows[2][6:] == ["160", "100.0"]


def test_province_ranking_and_drill_down(history):
    client = client_for(admin())
    html = client.get("/dashboard/provinces/").content.decode()
    assert re.search(r"广西壮族自治区</a></td><td>45</td><td class=\"num\">310</td>", html)
    rows = csv_rows(client.get("/dashboard/provinces/", {"export": "provinces"}))
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("1", "45", "310", "65.96"),
        ("2", "61", "100", "21.28"),
    ]
    detail = client.get("/dashboard/provinces/45/").content.decode()
    assert kpi(detail, "total") == "310"
    assert kpi(detail, "visitors") == "—"
    assert client.get("/dashboard/provinces/99/").status_code == 404


def test_a_provincial_admin_sees_only_their_province(history):
    client = client_for(provincial_admin("45"))
    html = client.get("/dashboard/").content.decode()
    assert kpi(html, "total") == "310"
    assert 'name="province"' not in html
    ranking = csv_rows(client.get("/dashboard/provinces/", {"export": "provinces"}))
    assert [r[2] for r in ranking[1:]] == ["45"]
    assert client.get("/dashboard/provinces/45/").status_code == 200
    assert client.get("/dashboard/provinces/61/").status_code == 404  # answers like a missing province
    assert client.get("/dashboard/sections/").status_code == 403
    assert client.get("/dashboard/hot/").status_code == 403
    assert b"/dashboard/sections/" not in client.get("/dashboard/").content


def test_sections_and_columns_ranking(history):
    client = client_for(admin())
    sections = csv_rows(client.get("/dashboard/sections/", {"export": "sections"}))
    assert [(r[2], r[3]) for r in sections[1:]] == [
        (history["primary"].name, "40"),
        (history["junior"].name, "25"),
    ]
    columns = csv_rows(client.get("/dashboard/sections/", {"export": "columns"}))
    assert [(r[3], r[4]) for r in columns[1:]] == [
        (history["math"].name, "30"),
        (history["chinese"].name, "10"),
    ]


def test_hot_content_top_per_platform(hot_history):
    html = client_for(admin()).get("/dashboard/hot/").content.decode()
    assert 'id="table-hot-k12"' in html
    rows = csv_rows(client_for(admin()).get("/dashboard/hot/", {"export": "hot-k12"}))
    assert [(r[1], r[3]) for r in rows[1:]] == [
        (str(hot_history[1]), "13"),
        (str(hot_history[0]), "5"),
        (str(hot_history[2]), "1"),
    ]


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/dashboard/", 5),  # summary, trend, the province choices, dropped views, batches set aside
        ("/dashboard/compare/", 2),  # totals, daily values
        ("/dashboard/provinces/", 2),  # ranking, province names
        ("/dashboard/provinces/45/", 3),  # the province, summary, trend
        ("/dashboard/sections/", 3),  # ranking, section names, column names
        # a repeat: the rankings come from the cache (the first time, see below)
        ("/dashboard/hot/", 0),
    ],
)
def test_query_counts_are_pinned(hot_history, django_assert_num_queries, path, queries):
    client = client_for(admin())
    client.get(path)  # warm the per-process province map
    # session + user, then the page's own queries
    with django_assert_num_queries(2 + queries):
        assert client.get(path).status_code == 200


def test_hot_content_reads_three_queries_then_none_until_a_flush(
    hot_history, test_kind, django_assert_num_queries
):
    client = client_for(admin())
    client.get("/dashboard/")  # warm the per-process province map
    # session + user; every platform's part rankings, the candidates' totals, titles: not one per platform
    with django_assert_num_queries(2 + 3):
        first = csv_rows(client.get("/dashboard/hot/", {"export": "hot-k12"}))
    with django_assert_num_queries(2):
        assert csv_rows(client.get("/dashboard/hot/", {"export": "hot-k12"})) == first
    services.object_views_add(
        rows=[
            {"day": selectors.today(), "kind": test_kind.key, "object_id": hot_history[2].pk, "views": 100,
             "platform": "k12", "section_ref": "", "column_ref": ""}
        ]
    )  # fmt: skip
    with django_assert_num_queries(2 + 3):  # a flush added object rows: read again
        rows = csv_rows(client.get("/dashboard/hot/", {"export": "hot-k12"}))
    assert (rows[1][1], rows[1][3]) == (str(hot_history[2]), "101")
