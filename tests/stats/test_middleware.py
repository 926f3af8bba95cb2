"""The beacon's fast lane (``BeaconMiddleware``): plainly valid beacons are answered before the stack, with
the same rules as ``ViewBeaconView``; everything else reaches the view and gets its answer from DRF."""

import pytest

from smartedu.stats import api, services
from smartedu.stats.middleware import BeaconMiddleware
from tests.stats.conftest import BROWSER_UA, TEST_KIND, beacon, home, rollup_totals

FAST_LANE = "smartedu.stats.middleware.BeaconMiddleware"


def counted() -> int:
    services.view_counts_flush()
    return rollup_totals()["platform_day"]


@pytest.fixture(params=["fast lane", "view only"])
def lane(request, settings):
    """Each test runs with the fast lane and without it: the answers must be the same."""
    if request.param == "view only":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_LANE]
    return request.param


@pytest.mark.usefixtures("committed_db", "lane")
class TestSameAnswersWithAndWithoutTheFastLane:
    def test_a_valid_beacon_counts_once_per_viewer(self, api_client, settings):
        settings.STATS_DEDUPE_SECONDS = 60
        assert beacon(api_client, home(2)).status_code == 204
        assert beacon(api_client, home()).status_code == 204  # the same viewer again: de-duplicated
        assert counted() == 1

    def test_another_site_is_refused(self, api_client):
        response = beacon(api_client, home(), HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403
        assert counted() == 0

    def test_a_string_id_is_judged_by_the_serializer(self, api_client, test_kind):
        from k12.models import StageSubject

        pair = StageSubject.objects.first()
        response = beacon(api_client, [{"kind": TEST_KIND, "id": str(pair.pk)}])
        assert response.status_code == 204  # the serializer accepts "42" as 42
        assert counted() == 1

    @pytest.mark.parametrize("object_id", [True, -1, 1.5, None])
    def test_a_bad_id_is_400_naming_the_item(self, api_client, test_kind, object_id):
        response = beacon(
            api_client, [{"kind": "portal.home", "id": 0}, {"kind": TEST_KIND, "id": object_id}]
        )
        assert response.status_code == 400
        assert list(response.json()["items"]) == ["1"]
        assert response.json()["counted"] == 1

    def test_a_bot_is_answered_204_and_not_counted(self, api_client):
        assert beacon(api_client, home(), ua="Googlebot/2.1").status_code == 204
        assert counted() == 0

    def test_the_rate_limit_holds(self, api_client, settings):
        rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**rates, "stats_beacon": "2/min"},
        }
        codes = [beacon(api_client, home()).status_code for _ in range(3)]
        assert codes == [204, 204, 429]

    def test_another_content_type_gets_drf_s_answer(self, api_client):
        response = api_client.post(
            "/api/v1/stats/views/", "items=1", content_type="application/x-www-form-urlencoded",
            HTTP_USER_AGENT=BROWSER_UA,
        )  # fmt: skip
        assert response.status_code == 415


@pytest.mark.usefixtures("committed_db")
def test_the_fast_lane_answers_without_a_session_or_a_cookie(rf):
    request = rf.post(
        "/api/v1/stats/views/",
        '{"items": [{"kind": "portal.home", "id": 0}]}',
        content_type="text/plain;charset=UTF-8",
        HTTP_USER_AGENT=BROWSER_UA,
    )

    def rest_of_the_stack(request):
        raise AssertionError("a plainly valid beacon must not reach the rest of the stack")

    response = BeaconMiddleware(rest_of_the_stack)(request)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert not hasattr(request, "session")
    assert counted() == 1


@pytest.mark.usefixtures("committed_db")
def test_what_the_fast_lane_declines_goes_on_to_the_view(rf):
    request = rf.post(
        "/api/v1/stats/views/", "{", content_type="application/json", HTTP_USER_AGENT=BROWSER_UA
    )
    assert api.plain_beacon(request) is None
    reached = []
    BeaconMiddleware(lambda r: reached.append(r) or None)(request)
    assert reached == [request]


def test_other_requests_pass_through(rf):
    request = rf.get("/api/v1/stats/views/")
    reached = []
    BeaconMiddleware(lambda r: reached.append(r) or None)(request)
    assert reached == [request]
