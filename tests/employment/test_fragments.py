"""The 24365 home page keeps its search form, latest jobs and industries in cached blocks
(smartedu/portal/fragments.py): a second request reads none of them, and a change shows at once."""

import pytest

from employment.models import Industry
from tests.factories import employment as f
from tests.pages import get_counted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]

LANGUAGES = ("", "/en")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_blocks_are_read_once(client, prefix):
    f.job(title="嵌入式软件工程师")
    path = f"{prefix}/employment/"
    first, first_queries = get_counted(client, path)
    second, second_queries = get_counted(client, path)
    assert first_queries > 0
    assert second_queries == 0  # provinces, the latest jobs and the industries all come from the cache
    assert second.content == first.content
    assert "嵌入式软件工程师" in second.text


def test_a_new_job_shows_at_once_in_each_language(client, django_capture_on_commit_callbacks):
    f.job(title="嵌入式软件工程师")
    paths = [f"{prefix}/employment/" for prefix in LANGUAGES]
    for path in paths:
        assert "财务会计" not in client.get(path).text
    with django_capture_on_commit_callbacks(execute=True):
        f.job(title="财务会计")  # through services.job_create
    for path in paths:
        assert "财务会计" in client.get(path).text


def test_a_renamed_industry_shows_at_once(client, django_capture_on_commit_callbacks):
    industry = Industry.objects.get(code="I")
    assert industry.name in client.get("/employment/").text
    industry.name = "信息技术服务业"
    with django_capture_on_commit_callbacks(execute=True):
        industry.save()  # as the admin does
    assert "信息技术服务业" in client.get("/employment/").text


def test_the_sub_navigation_is_kept_per_kind_of_visitor(client):
    """The sub-navigation is a cached block per role: each visitor sees their own links."""
    anonymous = client.get("/employment/").text
    assert "/employment/me/" not in anonymous
    client.force_login(f.graduate())
    assert 'href="/employment/me/"' in client.get("/employment/").text
    client.force_login(f.employer())
    employer = client.get("/employment/").text
    assert "/employment/me/" not in employer
    assert 'href="/employment/recruit/"' in employer
