import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/accounts/register/",
        "/api/v1/accounts/me/",
        "/api/v1/provinces/",
    ):
        assert path in text


def test_schema_and_swagger_ui_are_served_with_local_assets(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.text
    # Every asset the page loads is on this host: no absolute or protocol-relative URL in src/href.
    # (A bare substring check such as "cdn" fails at random: the CSRF token is random letters.)
    assert re.findall(r"""(?:src|href)\s*=\s*["'](?:[a-z]+:)?//""", docs.text, re.I) == []
    assert "jsdelivr" not in docs.text
    assert "unpkg" not in docs.text


def test_api_throttles_are_configured(settings):
    rest = settings.REST_FRAMEWORK
    assert rest["DEFAULT_THROTTLE_CLASSES"]
    assert {"anon", "user"} <= set(rest["DEFAULT_THROTTLE_RATES"])


def test_anonymous_api_clients_are_throttled(api_client, settings):
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"}
    try:
        codes = [api_client.get("/api/v1/provinces/").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert codes == [200, 200, 200, 429]
