"""The 24365 home page keeps its search form, latest jobs and industries in cached blocks
(smartedu/portal/fragments.py): a second request reads none of them, and a change shows at once."""

import re

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


def test_the_latest_jobs_block_is_one_preparable_statement_without_a_count(client):
    """The home's latest jobs are not a search: no count, nothing marked never to be prepared (its plan
    does not depend on values; bench/planning.py), and the same jobs as a search's first page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from employment import selectors
    from smartedu.portal.prepared import MARKER

    for n in range(12):
        f.job(title=f"岗位{n}")
    with CaptureQueriesContext(connection) as queries:
        text = client.get("/employment/").text
    statements = [q["sql"] for q in queries.captured_queries if "employment_job" in q["sql"]]
    assert len(statements) == 1
    assert MARKER not in statements[0]
    assert "COUNT(" not in statements[0].upper()
    searched = selectors.job_search(filters=selectors.JobFilters(), size=10).jobs
    assert [job.pk for job in selectors.latest_jobs(limit=10)] == [job.pk for job in searched]
    assert all(job.title in text for job in searched)
    # the visibility rule's statuses are in the text, not parameters: PostgreSQL's generic plan
    # can then use the partial index of open jobs, and it stops planning the statement at every execution
    assert "'open'" in statements[0]
    assert "'verified'" in statements[0]
    if connection.vendor == "postgresql":
        for _ in range(8):
            selectors.latest_jobs(limit=10)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "employment_job"%ORDER BY "employment_job"."posted_at" DESC%LIMIT 10%'],
            )
            ((generic_plans, prepared),) = cursor.fetchall()
        assert generic_plans >= 1
        assert '"employment_job"."status" = \'open\'' in prepared
        assert "U0.\"status\" = 'verified'" in prepared
        assert len(re.findall(r"\$\d", prepared)) == 2  # the expiry's clock and the EXISTS's SELECT 1
