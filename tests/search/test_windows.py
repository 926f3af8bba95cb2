"""Candidate windows kept per generation of the index (smartedu/search/windows.py, migration 0005).

A window read once is served from the cache until its kind's generation moves, which every change of the
kind's match rows does in its own transaction: a job posted, edited, closed, its employer unverified, its
views refreshed, the match table rebuilt or loaded in bulk. The generation is PostgreSQL's (SQLite keeps
none: the embedded mode reads the index every time), the cache Redis.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employment import selectors
from employment import services as job_services
from employment.models import Employer, EmployerStatus, Job
from smartedu.search import services, windows
from smartedu.search.backends import get_backend
from smartedu.search.models import SearchDocument
from smartedu.search.selectors import match_candidates
from smartedu.search.text import parse_query
from tests.factories import employment as f

pytestmark = pytest.mark.django_db

KIND = "employment.job"
generations = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the generations (migration 0005)"
)


@pytest.fixture(autouse=True)
def _windows(settings):
    settings.SEARCH_WINDOW_SECONDS = 600
    windows._down_until = 0.0
    yield
    windows._down_until = 0.0


@pytest.fixture
def owner():
    return f.employer()


def _found(query: str = "会计", **facets: str) -> list[int]:
    return sorted(c.object_id for c in match_candidates(kind=KIND, query=query, facets=facets, limit=50))


def _index_reads(captured: CaptureQueriesContext) -> int:
    return sum("FROM search_match d" in query["sql"] for query in captured.captured_queries)


def _reads(query: str = "会计") -> tuple[list[int], int]:
    """The candidates of ``query`` and how many reads of the index they took."""
    with CaptureQueriesContext(connection) as captured:
        found = _found(query)
    return found, _index_reads(captured)


@generations
def test_a_window_is_read_from_the_index_once_per_generation(owner):
    jobs = [f.job(owner, title="会计") for _ in range(2)]
    f.job(owner, title="护士", industry="Q")
    assert _reads() == (sorted(job.pk for job in jobs), 1)
    assert _reads() == (sorted(job.pk for job in jobs), 0)
    # another query, facets or limit is another window
    assert _reads("护士")[1] == 1
    with CaptureQueriesContext(connection) as captured:
        match_candidates(kind=KIND, query="会计", facets={"province": "44"}, limit=50)
        match_candidates(kind=KIND, query="会计", limit=1)
    assert _index_reads(captured) == 2


@generations
def test_a_kinds_generation_moves_with_its_match_rows_only(owner):
    backend = get_backend()
    job = f.job(owner, title="会计")
    before = backend.generation(KIND), backend.generation("employment.employer")
    # a document rewritten as it was (the job saved without a change its document shows): no move
    services.search_index_objects(kind=KIND, ids=[job.pk])
    assert (backend.generation(KIND), backend.generation("employment.employer")) == before
    f.job(owner, title="出纳")
    after = backend.generation(KIND), backend.generation("employment.employer")
    assert after[0] != before[0]
    assert after[1] == before[1]  # a job posted leaves the employers' windows alone


@generations
def test_a_cached_window_follows_every_change_of_the_jobs(owner):
    first = f.job(owner, title="会计")
    assert _found() == [first.pk]
    # posted
    second = f.job(owner, title="财务会计")
    assert _found() == sorted([first.pk, second.pk])
    # edited out of the term, and back
    data = job_services.JobInput(
        title="出纳",
        description=second.description,
        industry=second.industry,
        province=second.province,
        city=second.city,
        education=second.education,
        salary_min=second.salary_min,
        salary_max=second.salary_max,
    )
    job_services.job_update(actor=owner, job=second, data=data)
    assert _found() == [first.pk]
    assert _found("出纳") == [second.pk]
    # closed
    job_services.job_close(actor=owner, job=first)
    assert _found() == []
    # an employer that loses its verification takes its jobs out of the index
    other = f.employer()
    theirs = f.job(other, title="会计")
    assert _found() == [theirs.pk]
    job_services.employer_review(
        employer=Employer.objects.get(user=other),
        actor=f.registry_admin(),
        decision=EmployerStatus.REJECTED,
        note="执照无效",
    )
    assert _found() == []


@generations
def test_views_refreshed_into_the_index_reach_a_cached_window(owner):
    job = f.job(owner, title="会计")
    assert [c.popularity for c in match_candidates(kind=KIND, query="会计", limit=5)] == [0]
    Job.objects.filter(pk=job.pk).update(view_count=42)  # the view counter's own update: no signal
    services.search_popularity_refresh(kind=KIND)
    assert [c.popularity for c in match_candidates(kind=KIND, query="会计", limit=5)] == [42]


@generations
def test_a_bulk_load_moves_every_generation(owner, settings):
    indexed = f.job(owner, title="会计")
    settings.SEARCH_INDEX_EAGER = False
    loaded = f.job(owner, title="会计")  # queued, not indexed (as the seed's jobs copied in bulk)
    assert _found() == [indexed.pk]
    # a bulk load writes the documents with the trigger off, then their match rows in one statement
    services.search_load_objects(kind=KIND, ids=[loaded.pk])
    assert _found() == sorted([indexed.pk, loaded.pk])


@generations
def test_writes_to_the_match_table_itself_move_every_generation(owner):
    job = f.job(owner, title="会计")
    assert _found() == [job.pk]
    with connection.cursor() as cursor:  # a repair's or a migration's statement, outside the triggers
        cursor.execute("DELETE FROM search_match WHERE kind = %s AND object_id = %s", [KIND, job.pk])
    assert _found() == []
    get_backend().matches_rebuild(KIND)
    assert _found() == [job.pk]


@generations
def test_a_rolled_back_change_never_gives_its_generation_back(owner):
    kept = f.job(owner, title="会计")
    backend = get_backend()
    before = backend.generation(KIND)
    savepoint = transaction.savepoint()
    undone = f.job(owner, title="会计")
    assert _found() == sorted([kept.pk, undone.pk])  # cached under the rolled-back generation
    rolled_back = backend.generation(KIND)
    transaction.savepoint_rollback(savepoint)
    assert backend.generation(KIND) == before
    f.job(owner, title="出纳")  # the next change takes a new number, not the rolled-back one again
    assert backend.generation(KIND) not in (before, rolled_back)
    assert _found() == [kept.pk]


@generations
def test_a_writer_of_the_index_takes_the_writers_lock_first(owner):
    with connection.cursor() as cursor:
        cursor.execute("SELECT hashtext('search_generation')")
        key = cursor.fetchone()[0] & 0xFFFFFFFFFFFFFFFF  # the bigint as pg_locks splits it
        f.job(owner, title="会计")
        cursor.execute(
            "SELECT classid::bigint, objid::bigint FROM pg_locks "
            "WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objsubid = 1"
        )
        held = {(high << 32) | low for high, low in cursor.fetchall()}
    assert key in held


@generations
def test_a_window_is_not_served_past_its_first_documents_expiry(owner, monkeypatch):
    soon = f.job(owner, title="会计")
    Job.objects.filter(pk=soon.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    services.search_index_objects(kind=KIND, ids=[soon.pk])
    later = f.job(owner, title="会计")
    assert _reads() == (sorted([soon.pk, later.pk]), 1)
    expires = int(SearchDocument.objects.get(kind=KIND, object_id=soon.pk).expires_at.timestamp())
    now = windows.time.time()
    monkeypatch.setattr(windows.time, "time", lambda: now + (expires - now) - 1)
    assert _reads()[1] == 0
    monkeypatch.setattr(windows.time, "time", lambda: expires + 1)
    assert _reads()[1] == 1  # read again (the document itself expires then: the read leaves it out)


@generations
def test_without_the_cache_a_search_reads_the_index_and_stops_asking_for_a_while(owner, settings):
    job = f.job(owner, title="会计")
    settings.CACHES = {
        "default": {
            "BACKEND": "smartedu.portal.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert _reads() == ([job.pk], 1)
    assert not windows.enabled()  # the next searches do not wait for it
    assert _reads() == ([job.pk], 1)
    assert selectors.job_search(filters=selectors.JobFilters(q="会计", sort="relevance")).count == 1


def test_where_no_generation_is_kept_or_the_cache_is_off_the_index_is_read_every_time(owner, settings):
    job = f.job(owner, title="会计")
    if get_backend().generation(KIND) is not None:
        settings.SEARCH_WINDOW_SECONDS = 0
    assert _reads() == ([job.pk], 1)
    assert _reads() == ([job.pk], 1)


def test_the_key_holds_everything_the_read_depends_on(monkeypatch):
    backend = get_backend()
    query = parse_query("会计")

    def key(**changes):
        arguments = {"facets": {}, "limit": 10, "walk": False, "generation": "1.2", **changes}
        return windows.key(backend, KIND, query, **arguments)

    base = key()
    assert key() == base
    assert key(generation="1.3") != base
    assert key(facets={"province": "44"}) != base
    assert key(limit=11) != base
    assert key(walk=True) != base
    query = parse_query("出纳")
    assert key() != base
    query = parse_query("会计")
    hidden = {"platform": ["xuetangx"]}
    monkeypatch.setattr(windows, "get_kind", lambda key: SimpleNamespace(hidden=lambda: hidden))
    with_hidden = key()
    assert with_hidden != base
    hidden = {"platform": ["icourse163"]}
    assert key() != with_hidden
