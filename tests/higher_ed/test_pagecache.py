"""The platform switch and the anonymous page cache: switched-off courses leave cached pages at once."""

import pytest

from higher_ed import services
from higher_ed.models import Platform
from tests.factories.higher_ed import course, ministry_admin

pytestmark = pytest.mark.django_db


def test_switching_a_platform_off_and_on_makes_cached_catalogue_pages_stale(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    course("数据结构", platform_code="xuetangx")
    assert "数据结构" in client.get("/higher-ed/").text
    assert client.get("/higher-ed/")["X-Page-Cache"] == "hit"

    platform = Platform.objects.get(code="xuetangx")
    with django_capture_on_commit_callbacks(execute=True):
        services.platform_switch(platform=platform, enabled=False, reason="数据接口检修", by=ministry_admin())
    page = client.get("/higher-ed/")
    assert page["X-Page-Cache"] == "miss"
    assert "数据结构" not in page.text

    with django_capture_on_commit_callbacks(execute=True):
        services.platform_switch(platform=platform, enabled=True, reason="检修完成", by=ministry_admin())
    assert "数据结构" in client.get("/higher-ed/").text
