"""The job search's faster paths decide *how* jobs are found, never *which*: visibility without the
employer join, the city as a facet of the index, the walk decisions. Each is checked against the rule or
against the plain path it replaces."""

import importlib
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employment import selectors
from employment.models import Employer, EmployerStatus, Job
from smartedu.search.models import SearchDocument, SearchPending
from smartedu.search.selectors import match_candidates
from tests.factories import employment as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]

F = selectors.JobFilters


def _ids(page: selectors.JobPage) -> list[int]:
    return [job.pk for job in page.jobs]


def test_jobs_are_visible_exactly_while_their_employer_is_verified_however_the_status_is_written():
    owner = f.employer()
    job = f.job(owner, title="会计")
    other = f.job(f.employer(), title="会计")
    employer = Employer.objects.get(user=owner)
    for status, shown in (
        (EmployerStatus.PENDING, False),
        (EmployerStatus.REJECTED, False),
        (EmployerStatus.VERIFIED, True),
    ):
        # a bulk update sends no signal and runs no service: the rule still holds at once
        Employer.objects.filter(pk=employer.pk).update(status=status)
        assert Job.objects.visible().filter(pk=job.pk).exists() is shown, status
        assert (job.pk in _ids(selectors.job_search(filters=F()))) is shown, status
        page = selectors.job_search(filters=F(province="44", sort="salary"))
        assert (job.pk in _ids(page)) is shown, status
        assert other.pk in _ids(page)
        assert page.count == (2 if shown else 1)


def test_a_city_is_matched_by_the_index_with_the_keyword(monkeypatch):
    owner = f.employer()
    for _ in range(3):
        f.job(owner, title="Java开发工程师", province="11", city="北京")
    wanted = f.job(owner, title="Java开发工程师", province="44", city="深圳", salary_max=16_000)
    f.job(owner, title="护士", province="44", city="深圳", industry="Q")
    found = match_candidates(kind="employment.job", query="Java 开发", facets={"city": "深圳"}, limit=10)
    assert [candidate.object_id for candidate in found] == [wanted.pk]
    # the 北京 matches would fill a window of two: the city narrows the lookup itself, so the page is exact
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 2)
    for sort in ("newest", "salary", "relevance"):
        page = selectors.job_search(filters=F(q="Java 开发", city="深圳", salary=10_000, sort=sort))
        assert _ids(page) == [wanted.pk], sort
        assert (page.count, page.count_capped) == (1, False), sort


def test_the_city_migration_gives_existing_documents_their_city_and_queues_them():
    job = f.job(title="护士", city="广州", industry="Q")
    document = SearchDocument.objects.get(kind="employment.job", object_id=job.pk)
    # a document written before the city was a facet
    SearchDocument.objects.filter(pk=document.pk).update(
        facets={k: v for k, v in document.facets.items() if k != "city"}
    )
    assert not match_candidates(kind="employment.job", query="护士", facets={"city": "广州"}, limit=10)
    migration = importlib.import_module("employment.migrations.0008_job_documents_city_facet")
    # what the migration uses of its schema editor (SQLite's cannot open inside a test's transaction)
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.forwards(apps, editor)
    assert SearchDocument.objects.get(pk=document.pk).facets["city"] == "广州"
    found = match_candidates(kind="employment.job", query="护士", facets={"city": "广州"}, limit=10)
    assert [candidate.object_id for candidate in found] == [job.pk]
    assert SearchPending.objects.filter(kind="employment.job", object_id=job.pk).exists()


QUERIES = [
    F(q="工程师"),
    F(q="工程师", province="44"),
    F(q="工程师", province="44", industry="I", education="bachelor"),
    F(q="工程师", city="深圳", salary=12_000),
    F(q="会计", province="11", industry="J"),
    F(q="Java 开发", job_type="internship"),
    F(q="教"),
    F(q="教", province="11", within_days=30),
]


def _every_page(filters: selectors.JobFilters) -> tuple[list[int], int, bool]:
    """Every job of the search in its order (keyset pages of 2, or the relevance page), and the count."""
    first = selectors.job_search(filters=filters, size=2)
    if filters.sort == "relevance":
        page = selectors.job_search(filters=filters, size=50)
        return _ids(page), page.count, page.count_capped
    seen, page = _ids(first), first
    while page.next_cursor:
        page = selectors.job_search(filters=replace(filters, cursor=page.next_cursor), size=2)
        seen += _ids(page)
    return seen, first.count, first.count_capped


@pytest.fixture
def market():
    """Jobs of several titles, places, salaries and dates, from two employers."""
    owners = [f.employer(), f.employer(province="11", industry="J")]
    specs = [
        ("软件工程师", "44", "深圳", "I", 15_000),
        ("电气工程师", "44", "广州", "C", 9_000),
        ("Java开发工程师", "44", "深圳", "I", 18_000),
        ("会计", "11", "北京", "J", 8_000),
        ("财务会计", "11", "海淀", "J", 12_000),
        ("小学语文教师", "11", "北京", "P", 7_000),
        ("体育教练", "44", "深圳", "R", 9_000),
        ("护士", "11", "北京", "Q", 8_000),
    ]
    jobs = []
    for n, (title, province, city, industry, salary) in enumerate(specs * 2):
        job = f.job(
            owners[n % 2],
            title=title,
            province=province,
            city=city,
            industry=industry,
            salary_min=salary - 2000,
            salary_max=salary,
            job_type="internship" if n % 5 == 0 else "full_time",
        )
        Job.objects.filter(pk=job.pk).update(posted_at=job.posted_at - timedelta(days=n * 3))
        jobs.append(job)
    return jobs


@pytest.mark.parametrize("sort", ["newest", "salary", "relevance"])
def test_walking_finds_what_reading_the_index_finds(market, monkeypatch, sort):
    """The same pages and counts whichever way the statistics send a keyword (both forced here)."""

    def forced(walks: bool):
        def estimate(query: str, facets: dict[str, str], sort: str) -> selectors._Walk:
            return selectors._Walk(matches=float("inf") if walks else 0.0, share=1.0 if walks else 0.0)

        return estimate

    for filters in QUERIES:
        filters = replace(filters, sort=sort)
        monkeypatch.setattr(selectors, "_walk_estimate", forced(False))
        read = _every_page(filters)
        monkeypatch.setattr(selectors, "_walk_estimate", forced(True))
        walked = _every_page(filters)
        assert read[0], filters
        if sort == "relevance" or filters.salary or filters.within_days:
            assert walked == read, filters
        else:  # a walk without filters on the job row does not count: "more than 1,000"
            assert (walked[0], walked[2]) == (read[0], True), filters


def test_a_broad_window_shows_visible_jobs_only_and_a_narrow_one_counts_them_only(monkeypatch):
    owner, other = f.employer(), f.employer()
    mine = [f.job(owner, title="会计") for _ in range(2)]
    theirs = [f.job(other, title="会计") for _ in range(2)]
    # the other employer loses its verification; its documents are still in the index until the queue
    # drains (a bulk update sends no signal)
    Employer.objects.filter(user=other).update(status=EmployerStatus.PENDING)
    assert SearchDocument.objects.filter(object_id__in=[job.pk for job in theirs]).count() == 2
    narrow = selectors.job_search(filters=F(q="会计", sort="relevance"))
    assert sorted(_ids(narrow)) == sorted(job.pk for job in mine)
    assert (narrow.count, narrow.count_capped) == (2, False)
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 3)  # four matches: broad
    broad = selectors.job_search(filters=F(q="会计", sort="relevance"))
    assert sorted(_ids(broad)) == sorted(job.pk for job in mine)
    assert broad.count_capped


def _count_sql(filters: selectors.JobFilters) -> str:
    with CaptureQueriesContext(connection) as captured:
        selectors.job_search(filters=filters)
    return next(query["sql"] for query in captured.captured_queries if "COUNT(*)" in query["sql"])


def test_a_count_under_a_filter_an_index_leads_with_walks_in_the_pages_order(market):
    # the province's index, in the page's order (the planner would read the whole table for a rare pair)
    assert "ORDER BY" in _count_sql(F(province="11", education="master"))
    assert "ORDER BY" in _count_sql(F(industry="J", sort="salary"))
    # no such filter, or a salary (no statistics say how much of the walk reaches it): the planner's order
    assert "ORDER BY" not in _count_sql(F(education="master"))
    assert "ORDER BY" not in _count_sql(F(province="11", salary=10_000))
    page = selectors.job_search(filters=F(province="11", industry="J"))
    assert page.count == Job.objects.visible().filter(province__code="11", industry__code="J").count()


def test_newest_and_salary_read_every_match_when_the_statistics_expect_few(monkeypatch):
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 2)  # four matches: more than relevance's window
    owner = f.employer()
    jobs = [
        f.job(owner, title="会计", salary_min=4000 + n * 1000, salary_max=6000 + n * 1000) for n in range(4)
    ]
    with CaptureQueriesContext(connection) as captured:
        page = selectors.job_search(filters=F(q="会计", sort="salary"))
    assert _ids(page) == [job.pk for job in reversed(jobs)]
    assert (page.count, page.count_capped) == (4, False)
    # read from the index once (up to SORTED_WINDOW), not walked job by job against it
    assert not any('d.object_id = "employment_job"' in query["sql"] for query in captured.captured_queries)
