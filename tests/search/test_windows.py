"""Candidate windows kept in the cache (smartedu/search/windows.py, migrations 0005 and 0006).

A window read once is served from the cache until a change that could alter it: a document that matches
its query under its facets posted, edited, closed or hidden (the change log, in the change's own
transaction), or the kind's generation moved (views refreshed, many documents in one statement, the match
table rebuilt or loaded in bulk). Generations and the log are PostgreSQL's (SQLite keeps neither: the
embedded mode reads the index every time), the cache Redis.
"""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
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
    """The candidates' object ids of ``query`` under ``facets``."""
    return sorted(c.object_id for c in match_candidates(kind=KIND, query=query, facets=facets, limit=50))


def _retitle(owner, job: Job, title: str) -> None:
    """The employer edits the job's title (through the service, as the job form does)."""
    data = job_services.JobInput(
        title=title,
        description=job.description,
        industry=job.industry,
        province=job.province,
        city=job.city,
        education=job.education,
        salary_min=job.salary_min,
        salary_max=job.salary_max,
    )
    job_services.job_update(actor=owner, job=job, data=data)


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


def _log() -> list[tuple[str, str]]:
    """The change log's rows: kind and the lexemes of the vector (before and after)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, vector::text FROM search_change ORDER BY seq")
        return cursor.fetchall()


@generations
def test_a_change_of_a_document_is_logged_and_moves_no_generation(owner):
    backend = get_backend()
    job = f.job(owner, title="会计")
    before, logged = (backend.generation(KIND), backend.generation("employment.employer")), len(_log())
    # a document rewritten as it was (the job saved without a change its document shows): nothing
    services.search_index_objects(kind=KIND, ids=[job.pk])
    assert (backend.generation(KIND), backend.generation("employment.employer")) == before
    assert len(_log()) == logged
    # a job posted: one row of its kind, with its words; no generation moves
    f.job(owner, title="出纳")
    assert (backend.generation(KIND), backend.generation("employment.employer")) == before
    kind, vector = _log()[-1]
    assert (kind, len(_log())) == (KIND, logged + 1)
    assert "'出纳'" in vector
    # views refreshed change no word: logged too (windows hold popularity), with the unchanged vector
    Job.objects.filter(pk=job.pk).update(view_count=7)
    services.search_popularity_refresh(kind=KIND)
    assert (backend.generation(KIND), backend.generation("employment.employer")) == before
    assert len(_log()) == logged + 2
    assert "'会计'" in _log()[-1][1]


@generations
def test_a_change_drops_only_the_windows_it_could_alter(owner):
    accountant = f.job(owner, title="会计", province="44")
    nurse = f.job(owner, title="护士", industry="Q")
    assert _reads() == ([accountant.pk], 1)
    assert _reads("护士") == ([nurse.pk], 1)
    assert _found(province="44") == [accountant.pk]
    assert _found(province="11") == []
    # a nurse's job posted: the accountants' windows stay, the nurses' is read again
    second_nurse = f.job(owner, title="护士", industry="Q")
    assert _reads() == ([accountant.pk], 0)
    assert _reads("护士") == (sorted([nurse.pk, second_nurse.pk]), 1)
    # an accountant's job in Beijing: 会计 and 会计 in Beijing are read again, 会计 in Guangdong is not
    beijing = f.job(owner, title="会计", province="11")
    assert _reads() == (sorted([accountant.pk, beijing.pk]), 1)
    with CaptureQueriesContext(connection) as captured:
        assert _found(province="44") == [accountant.pk]
        assert _found(province="11") == [beijing.pk]
    assert _index_reads(captured) == 1
    # a job edited out of the term (its vector before the change matches): read again
    _retitle(owner, beijing, "出纳")
    assert _reads() == ([accountant.pk], 1)
    assert _reads("护士")[1] == 0
    # closed (its document deleted): read again
    job_services.job_close(actor=owner, job=second_nurse)
    assert _reads("护士") == ([nurse.pk], 1)
    assert _reads()[1] == 0


@generations
def test_a_statement_that_changes_many_documents_moves_the_kinds_generation(owner):
    per_statement = import_module("smartedu.search.migrations.0006_change_log").PER_STATEMENT
    jobs = [f.job(owner, title="会计") for _ in range(per_statement + 1)]
    backend = get_backend()
    assert _reads()[1] == 1
    assert _reads("护士")[1] == 1
    before, logged = backend.generation(KIND), len(_log())
    # one statement over more documents than the log takes from a statement: the log takes its share,
    # then the generation moves once (every window of the kind is read again)
    SearchDocument.objects.filter(kind=KIND, object_id__in=[job.pk for job in jobs]).update(
        tokens_body=Concat("tokens_body", Value(" 新增"))
    )
    assert len(_log()) == logged + per_statement
    assert backend.generation(KIND) != before
    assert _reads("护士")[1] == 1
    # fewer documents in one statement: each logged, no generation moves
    before, logged = backend.generation(KIND), len(_log())
    SearchDocument.objects.filter(kind=KIND, object_id__in=[job.pk for job in jobs[:2]]).update(
        tokens_body=Concat("tokens_body", Value(" 再增"))
    )
    assert (len(_log()), backend.generation(KIND)) == (logged + 2, before)
    assert _reads("护士")[1] == 0


@generations
def test_a_cached_window_follows_every_change_of_the_jobs(owner):
    first = f.job(owner, title="会计")
    assert _found() == [first.pk]
    # posted
    second = f.job(owner, title="财务会计")
    assert _found() == sorted([first.pk, second.pk])
    # edited out of the term, and back
    _retitle(owner, second, "出纳")
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
def test_a_rolled_back_change_never_leaves_its_window_behind(owner):
    kept = f.job(owner, title="会计")
    backend = get_backend()
    before = backend.generation(KIND)
    savepoint = transaction.savepoint()
    undone = f.job(owner, title="会计")
    assert _found() == sorted([kept.pk, undone.pk])  # kept at the position of the rolled-back row
    transaction.savepoint_rollback(savepoint)
    assert backend.generation(KIND) == before
    assert _reads() == ([kept.pk], 1)  # that position is no longer in the log: read again
    assert _reads() == ([kept.pk], 0)
    f.job(owner, title="出纳")  # the next row takes a new position, not the rolled-back one again
    assert _reads() == ([kept.pk], 0)


@generations
def test_a_pruned_log_drops_the_windows_kept_before_it(owner):
    job = f.job(owner, title="会计")
    assert _reads() == ([job.pk], 1)
    f.job(owner, title="出纳")
    assert _reads()[1] == 0
    backend = get_backend()
    assert backend.changes_prune(older_than=0) >= 2
    assert _log() == []
    assert _reads() == ([job.pk], 1)  # what changed since its position is forgotten: read again
    assert _reads() == ([job.pk], 0)  # kept at the floor, with an empty log
    assert backend.changes_prune(older_than=0) == 0
    assert _reads() == ([job.pk], 0)
    f.job(owner, title="护士", industry="Q")
    assert backend.changes_prune(older_than=3600) == 0  # rows younger than that stay
    assert _reads() == ([job.pk], 0)


def test_the_reconcile_prunes_the_log(owner, monkeypatch):
    pruned = []
    backend = get_backend()
    monkeypatch.setattr(type(backend), "changes_prune", lambda self, older_than: pruned.append(older_than))
    services.search_reconcile()
    assert pruned == [600]


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
    Job.objects.filter(pk=soon.pk).update(expires_at=timezone.now() + timedelta(minutes=5))
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
def test_a_window_is_not_served_longer_than_the_setting(owner, settings, monkeypatch):
    job = f.job(owner, title="会计")
    assert _reads() == ([job.pk], 1)
    now = windows.time.time()
    monkeypatch.setattr(windows.time, "time", lambda: now + settings.SEARCH_WINDOW_SECONDS - 5)
    assert _reads()[1] == 0
    monkeypatch.setattr(windows.time, "time", lambda: now + settings.SEARCH_WINDOW_SECONDS + 1)
    assert _reads()[1] == 1


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
        arguments = {"facets": {}, "limit": 10, "walk": False, **changes}
        return windows.key(backend, KIND, query, **arguments)

    base = key()
    assert key() == base
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
