"""The statistics API: the beacon (anyone) and the figures (administrators, provinces kept apart)."""

import pytest
from rest_framework.test import APIClient

from smartedu.stats import services
from smartedu.stats.models import PlatformDailyView, ProvinceDailyView
from tests.factories import UserFactory, province
from tests.stats.conftest import BROWSER_UA, EMBEDDED, TEST_KIND, beacon, home, rollup_totals
from tests.stats.factories import admin, provincial_admin


def counted() -> int:
    services.view_counts_flush()
    return rollup_totals()["platform_day"]


# --- The beacon -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("committed_db")
class TestBeacon:
    def test_a_valid_batch_is_counted_with_204(self, api_client, test_kind):
        from k12.models import StageSubject

        pairs = list(StageSubject.objects.values_list("pk", flat=True)[:2])
        response = beacon(api_client, [*home(), *({"kind": TEST_KIND, "id": pk} for pk in pairs)])
        assert response.status_code == 204
        assert counted() == 3

    def test_rejected_items_are_listed_and_the_rest_is_still_counted(self, api_client, test_kind):
        items = [
            *home(),
            {"kind": "nope.nothing", "id": 1},
            {"kind": TEST_KIND, "id": -4},
            "not an object",
            {"kind": "portal.home", "id": 5},  # a page kind's id is 0
            *home(),
        ]
        response = beacon(api_client, items)
        assert response.status_code == 400
        body = response.json()
        assert sorted(body["items"]) == ["1", "2", "3", "4"]
        assert body["counted"] == 1  # the home page twice in one request counts once
        assert counted() == 1

    def test_a_body_without_a_list_of_items_is_400(self, api_client):
        response = api_client.post(
            "/api/v1/stats/views/", {"items": "x"}, format="json", HTTP_USER_AGENT=BROWSER_UA
        )
        assert response.status_code == 400
        assert "items" in response.json()

    def test_more_than_50_items_are_rejected_beyond_the_50th(self, api_client, test_kind):
        response = beacon(api_client, [{"kind": TEST_KIND, "id": n} for n in range(1, 54)])
        assert response.status_code == 400
        assert sorted(response.json()["items"], key=int) == ["50", "51", "52"]
        assert response.json()["counted"] == 50

    @pytest.mark.parametrize(
        "ua",
        [
            "",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "curl/8.5.0",
            "python-requests/2.32",
            "Mozilla/5.0 (compatible; YandexBot/3.0)",  # any case: the match is on the lower-cased header
            "OKHTTP/4.12 (Android)",
        ],
    )
    def test_known_bots_are_not_counted(self, api_client, ua):
        assert beacon(api_client, home(), ua=ua).status_code == 204
        assert counted() == 0

    def test_sendbeacon_text_plain_body_is_read_as_json(self, api_client):
        response = api_client.generic(
            "POST",
            "/api/v1/stats/views/",
            '{"items": [{"kind": "portal.home", "id": 0}]}',
            content_type="text/plain;charset=UTF-8",
            HTTP_USER_AGENT=BROWSER_UA,
        )
        assert response.status_code == 204
        assert counted() == 1

    def test_signed_in_viewers_need_no_csrf_token_and_their_province_comes_from_the_session(self):
        user = UserFactory(province=province("53"))
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        # the body cannot claim to be someone else or somewhere else
        response = beacon(client, home(), body={"province": "45", "user": 1})
        assert response.status_code == 204
        assert counted() == 1
        assert list(ProvinceDailyView.objects.values_list("province_code", flat=True)) == ["53"]

    def test_the_beacon_is_rate_limited_per_client(self, api_client, settings):
        rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**rates, "stats_beacon": "3/min"},
        }
        responses = [beacon(api_client, home()) for _ in range(4)]
        assert [r.status_code for r in responses] == [204, 204, 204, 429]
        assert 0 < int(responses[-1]["Retry-After"]) <= 60
        other = beacon(APIClient(), home(), REMOTE_ADDR="10.9.8.7")
        assert other.status_code == 204
        assert counted() == 4

    def test_the_noscript_pixel_counts_and_returns_a_gif(self, api_client, test_kind):
        from k12.models import StageSubject

        pair = StageSubject.objects.first()
        response = api_client.get(
            f"/api/v1/stats/views/pixel.gif?i=portal.home:0&i={TEST_KIND}:{pair.pk}",
            HTTP_USER_AGENT=BROWSER_UA,
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "image/gif"
        assert response.content.startswith(b"GIF89a")
        assert counted() == 2


@pytest.mark.skipif(EMBEDDED, reason="the embedded mode's buffer is a database table")
def test_counting_a_view_runs_no_sql_in_production_mode(committed_db, django_assert_num_queries):
    client = APIClient()
    with django_assert_num_queries(0):
        assert beacon(client, home(2)).status_code == 204
    user = UserFactory(province=province("45"))
    client.force_login(user)
    beacon(client, home())  # the first beacon of a session looks the viewer up once
    with django_assert_num_queries(0):
        assert beacon(client, home(2)).status_code == 204


# --- Figures ------------------------------------------------------------------------------------------------


def get(client, path, **params):
    return client.get(f"/api/v1/stats/{path}/", params)


@pytest.mark.parametrize("path", ["summary", "timeseries", "top"])
@pytest.mark.parametrize("role", [None, "student", "teacher", "officer"])
def test_only_administrators_read_figures(db, path, role):
    client = APIClient()
    if role:
        client.force_login(UserFactory(role=role, username=role, approved=True))
    assert get(client, path).status_code in (401, 403)


def test_summary_matches_hand_sums(history):
    client = APIClient()
    client.force_login(admin())
    body = get(client, "summary").json()
    assert body["days"] == 90
    assert body["total"] == 470  # 100 + 300 + 50 + 20
    assert body["average_per_day"] == round(470 / 90, 2)
    assert (body["peak_day"], body["peak_views"]) == (history["d1"].isoformat(), 320)
    assert body["today"] == 50
    assert body["visitors_today"] == 20
    assert body["visitors_per_day"] == round((40 + 90 + 20 + 10) / 90, 2)
    k12 = get(client, "summary", platform="k12", start=history["d1"], end=history["d1"]).json()
    assert (k12["total"], k12["days"], k12["today"]) == (300, 1, 50)


def test_a_provincial_admin_reads_only_their_province(history):
    client = APIClient()
    client.force_login(provincial_admin("45"))
    body = get(client, "summary").json()
    assert (body["province"], body["total"], body["today"], body["visitors_today"]) == ("45", 310, 50, None)
    assert get(client, "summary", province="45").status_code == 200
    assert get(client, "summary", province="61").status_code == 403
    assert get(client, "timeseries", province="61").status_code == 403
    assert get(client, "top").status_code == 403


def test_a_ministry_admin_reads_any_province(history):
    client = APIClient()
    client.force_login(admin())
    assert get(client, "summary", province="61").json()["total"] == 100


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"start": "2024-03-02", "end": "2024-03-01"}, "end"),
        ({"platform": "moon"}, "platform"),
        ({"province": "99"}, "province"),
        ({"granularity": "minute"}, "granularity"),
        ({"start": "2000-01-01", "end": "2024-01-01"}, "start"),
        ({"start": "1999-12-31", "end": "2000-01-05"}, "start"),
        ({"end": "2101-01-01"}, "end"),
        ({"start": "0001-01-01"}, "start"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "start"),
        ({"start": "99999-01-01"}, "start"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(db, params, field):
    client = APIClient()
    client.force_login(admin())
    response = get(client, "timeseries", **params)
    assert response.status_code == 400
    assert field in response.json()


def test_timeseries_by_day_and_by_hour(history):
    client = APIClient()
    client.force_login(admin())
    days = get(client, "timeseries", platform="k12", start=history["d2"], end=history["today"]).json()
    assert [p["views"] for p in days["points"]] == [100, 300, 50]
    hours = get(client, "timeseries", granularity="hour", start=history["today"], end=history["today"]).json()
    assert len(hours["points"]) == 24
    assert sum(p["views"] for p in hours["points"]) == 10
    assert max(p["views"] for p in hours["points"]) == 10
    assert hours["points"][0]["time"].endswith("+08:00")


def test_top_lists_the_most_viewed_content(hot_history):
    client = APIClient()
    client.force_login(admin())
    results = get(client, "top", platform="k12").json()["results"]
    assert [(r["object_id"], r["views"]) for r in results] == [
        (hot_history[1].pk, 13),
        (hot_history[0].pk, 5),
        (hot_history[2].pk, 1),
    ]
    assert results[0]["title"] == str(hot_history[1])
    assert len(get(client, "top", limit=1).json()["results"]) == 1
    section = f"k12.stage:{hot_history[0].stage_id}"
    in_section = get(client, "top", section=section).json()["results"]
    assert {r["object_id"] for r in in_section} == {
        p.pk for p in hot_history if p.stage_id == hot_history[0].stage_id
    }
    assert get(client, "top", limit=0).status_code == 400


def test_platform_daily_rows_are_the_source_of_national_figures(history):
    # the national total is read from the platform rollup, not the province one (which can lag behind)
    PlatformDailyView.objects.filter(platform="vocational").update(views=25)
    client = APIClient()
    client.force_login(admin())
    assert get(client, "summary").json()["total"] == 475


def test_the_beacon_s_schema_is_its_serializer_one_json_body_without_a_province(openapi_schema):
    from smartedu.stats.api import ViewBeaconSerializer, ViewItemSerializer

    schema = openapi_schema
    body = schema["paths"]["/api/v1/stats/views/"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]  # one body a generated client can build
    components = schema["components"]["schemas"]
    beacon_schema = components[body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(beacon_schema["properties"]) == set(ViewBeaconSerializer().fields) == {"items"}
    item_ref = beacon_schema["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(components[item_ref]["properties"]) == set(ViewItemSerializer().fields) == {"kind", "id"}
    assert components[item_ref]["properties"]["id"]["minimum"] == 0
