"""Keyword job search through the search engine's bounded window (``selectors.job_search``).

The window (``KEYWORD_WINDOW``) is made tiny here so that "broad" means a handful of jobs: the same code
path a term with a million matches takes at 3.8 million jobs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employment import selectors
from employment.models import Job
from smartedu.search.selectors import match_frequency
from tests.factories import employment as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]

F = selectors.JobFilters


@pytest.fixture
def owner():
    return f.employer()


def _ids(page: selectors.JobPage) -> list[int]:
    return [job.pk for job in page.jobs]


def test_a_selective_term_is_exact_in_every_order_and_with_row_filters(owner):
    cheap = f.job(owner, title="会计", salary_min=4000, salary_max=6000)
    dear = f.job(owner, title="财务会计", salary_min=9000, salary_max=16000)
    f.job(owner, title="护士", industry="Q")
    newest = selectors.job_search(filters=F(q="会计", sort="newest"))
    assert _ids(newest) == [dear.pk, cheap.pk]
    assert (newest.count, newest.count_capped) == (2, False)
    assert _ids(selectors.job_search(filters=F(q="会计", sort="salary"))) == [dear.pk, cheap.pk]
    # relevance: the exact title first, then the title that contains it
    relevance = selectors.job_search(filters=F(q="会计", sort="relevance"))
    assert _ids(relevance) == [cheap.pk, dear.pk]
    # a filter on the job row (salary is not a facet of the documents) applies to the matches
    assert _ids(selectors.job_search(filters=F(q="会计", salary=10_000, sort="relevance"))) == [dear.pk]
    assert _ids(selectors.job_search(filters=F(q="会计", salary=10_000))) == [dear.pk]


def test_facet_filters_are_part_of_the_index_lookup_so_a_full_window_loses_nothing(owner, monkeypatch):
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 2)
    for _ in range(4):
        f.job(owner, title="会计", province="11", city="北京")
    wanted = f.job(owner, title="会计", province="44", city="深圳")
    # three matches in 北京 alone would fill the window; the province is matched by the index with the term
    for sort in ("relevance", "newest"):
        page = selectors.job_search(filters=F(q="会计", province="44", sort=sort))
        assert _ids(page) == [wanted.pk], sort
        assert (page.count, page.count_capped) == (1, False)


def test_a_broad_term_ranks_its_window_and_walks_the_index_for_newest(owner, monkeypatch):
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 3)
    exact = f.job(owner, title="工程师")
    jobs = [f.job(owner, title="软件工程师") for _ in range(6)]
    # relevance: the window is ranked (broad: the count says "more"), strongest title first when it is in it
    relevance = selectors.job_search(filters=F(q="工程师", sort="relevance"))
    assert relevance.count_capped
    assert 1 <= len(relevance.jobs) <= 3 + 1
    assert set(_ids(relevance)) <= {job.pk for job in [*jobs, exact]}
    # the exact title, read first from the index, is ranked first
    assert _ids(relevance)[0] == exact.pk
    # newest and salary: every match, in order, paged by cursor (not limited to the window)
    seen: list[int] = []
    filters = F(q="工程师", sort="newest")
    while True:
        page = selectors.job_search(filters=filters, size=3)
        seen += _ids(page)
        if not page.next_cursor:
            break
        filters = F(q="工程师", sort="newest", cursor=page.next_cursor)
    assert seen == list(
        Job.objects.filter(title__contains="工程师")
        .order_by("-posted_at", "-id")
        .values_list("pk", flat=True)
    )


def test_a_term_with_nothing_under_the_filters_returns_an_empty_page(owner):
    f.job(owner, title="护士", industry="Q")
    for sort in ("relevance", "newest", "salary"):
        page = selectors.job_search(filters=F(q="护士", industry="I", sort=sort))
        assert (page.jobs, page.count, page.count_capped) == ([], 0, False)
    assert selectors.job_search(filters=F(q="护士", industry="Q")).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL's statistics")
def test_a_term_the_statistics_call_frequent_is_walked_and_still_exact(owner, monkeypatch):
    from smartedu.search.backends import postgresql

    engineers = [f.job(owner, title="软件工程师") for _ in range(8)]
    accountant = f.job(owner, title="会计")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_match")
    postgresql._statistics.clear()
    # the estimate follows the column's statistics: 工程师 is in most documents, 会计 in few
    engineer_share, engineer_matches = match_frequency(query="工程师")
    assert engineer_share > match_frequency(query="会计")[0] > 0
    assert 4 <= engineer_matches <= 12
    # 8 matches are not "frequent" (a list would otherwise say "more than 1,000")
    assert selectors.job_search(filters=F(q="工程师")).count == 8
    # when 工程师 counts as frequent, relevance takes its window by walking, newest walks the job index
    monkeypatch.setattr(selectors, "WALK_ROWS", 2 * (selectors.KEYWORD_WINDOW + 1) / engineer_share)
    monkeypatch.setattr(selectors, "FREQUENT_MATCHES", 1)
    monkeypatch.setattr(selectors, "WALK_MARGIN", 0)
    relevance = selectors.job_search(filters=F(q="工程师", sort="relevance"))
    assert sorted(_ids(relevance)) == sorted(job.pk for job in engineers)
    newest = selectors.job_search(filters=F(q="工程师", sort="newest"))
    assert _ids(newest) == [job.pk for job in reversed(engineers)]
    assert (newest.count, newest.count_capped) == (selectors.COUNT_CAP, True)
    # a rare term still goes through the index, exactly
    assert _ids(selectors.job_search(filters=F(q="会计"))) == [accountant.pk]


def test_job_search_statements_are_never_prepared():
    """Their best plan depends on the values: a prepared statement's generic plan would serve them all."""
    with CaptureQueriesContext(connection) as captured:
        selectors.job_search(filters=selectors.JobFilters(province="44"))
    assert captured.captured_queries
    assert all("UNPREPARED" in query["sql"] for query in captured.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL's statistics")
def test_a_one_character_term_is_estimated_from_the_lexemes_it_starts_and_walked_when_frequent(
    owner, monkeypatch
):
    from smartedu.search.backends import postgresql

    engineers = [f.job(owner, title="软件工程师") for _ in range(8)]
    f.job(owner, title="会计")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_match")
    postgresql._statistics.clear()
    # 工 starts 工程, 工程师 and the title's single 工: at least as frequent as any of them, at most 1
    engineer_share = match_frequency(query="工程师")[0]
    assert engineer_share <= match_frequency(query="工")[0] <= 1
    # a character that starts no listed lexeme is as rare as the rarest listed one
    assert 0 < match_frequency(query="鑫")[0] <= match_frequency(query="会计")[0]
    monkeypatch.setattr(selectors, "WALK_ROWS", 2 * (selectors.KEYWORD_WINDOW + 1) / engineer_share)
    monkeypatch.setattr(selectors, "FREQUENT_MATCHES", 1)
    monkeypatch.setattr(selectors, "WALK_MARGIN", 0)
    with CaptureQueriesContext(connection) as captured:
        relevance = selectors.job_search(filters=F(q="工", sort="relevance"))
    # walked in document order (the bitmap of every lexeme starting with 工 is never built), still exact
    assert any("enable_bitmapscan = off" in query["sql"] for query in captured.captured_queries)
    assert sorted(_ids(relevance)) == sorted(job.pk for job in engineers)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's read of the GIN")
def test_under_facets_a_one_character_term_takes_its_window_from_titles_first(owner, monkeypatch):
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 2)
    # written first, so a plain read of the index meets them first: 教 only in the text (教育)
    for _ in range(3):
        f.job(owner, title="Java开发工程师", description="负责教育软件开发。")
    titled = [f.job(owner, title="小学语文教师") for _ in range(3)]
    page = selectors.job_search(filters=F(q="教", province="44", sort="relevance"))
    # the window (3) is filled by the jobs whose title has the character, the strongest matches
    assert sorted(_ids(page)) == sorted(job.pk for job in titled)
    assert page.count_capped
    # when the titles do not fill what is read (newest reads up to SORTED_WINDOW), every match is
    assert selectors.job_search(filters=F(q="教", province="44", industry="I")).count == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's read of the GIN")
def test_under_facets_a_word_takes_its_window_from_the_texts_jieba_cut_it_from_first(owner, monkeypatch):
    monkeypatch.setattr(selectors, "KEYWORD_WINDOW", 2)
    # written first: 工程师 is in the title as written, but jieba cut 化工|程|师范 (its bigrams match)
    for _ in range(3):
        f.job(owner, title="化工程师范学院")
    words = [f.job(owner, title="软件工程师") for _ in range(3)]
    page = selectors.job_search(filters=F(q="工程师", province="44", sort="relevance"))
    assert sorted(_ids(page)) == sorted(job.pk for job in words)
    assert page.count_capped
    assert selectors.job_search(filters=F(q="工程师", province="44", industry="I")).count == 6
