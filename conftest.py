"""Root pytest configuration: shared fixtures for every test package."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from django.conf import settings as django_settings
from pytest_django.fixtures import Settings

ROOT = Path(__file__).resolve().parent
PRODUCTION_MODE = bool(os.environ.get("REDIS_URL"))

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in a thread with
# a running loop unless told that this is fine (it is: the loop is Playwright's, not Django's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# A test that asks for one of these is slow whatever it does (left out of `make test-fast`): it seeds a
# whole data set, or commits for real and has Django empty and refill every table after it.
SLOW_FIXTURES = frozenset(
    {
        "toc",
        "demo_content",
        "seeded",
        "committed_db",
        "transactional_db",
        "live_server",
        "celery_worker_process",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_report_header(config: pytest.Config) -> str:
    db = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    mode = "production (PostgreSQL/Redis)" if PRODUCTION_MODE else "embedded (SQLite, no Redis)"
    return f"smartedu test mode: {mode}; database engine: {db}"


@pytest.fixture(autouse=True)
def _test_settings(settings: Settings) -> None:
    # Pages render without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Content that tests create is queued for the search index, as in production, and the queue is drained
    # after a commit that a test's transaction never makes: tests that search ask for `search_indexed`.
    settings.SEARCH_INDEX_EAGER = False
    # Argon2 with the cheapest parameters (tests/hashers.py): same format, a ten-thousandth of the CPU.
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    # A test sees what it just wrote (its transaction never commits, so no invalidation would run):
    # tests/portal/test_pagecache.py turns the anonymous page cache on where it is the subject.
    settings.PAGE_CACHE_SECONDS = 0
    # Likewise cached blocks of pages: tests/portal/test_fragments.py and the pages' tests turn them on.
    settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def openapi_schema() -> dict[str, Any]:
    """The OpenAPI document that /api/schema/ serves, generated once per test process (a second or two)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def search_indexed(settings: Settings) -> None:
    """Content this test creates is searchable at once, inside the test's transaction.

    Indexing segments every title and body with jieba: a third of the time of a test that makes content, so
    only the tests that search pay for it. tests/search covers the after-commit Celery path (`queued`).
    """
    settings.SEARCH_INDEX_EAGER = True


@pytest.fixture
def fragments_on(settings: Settings) -> None:
    """Cached blocks of pages on (``_test_settings`` turns them off for every other test)."""
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request to /en/… leaves English active in the test thread (and reverse() would prefix /en/):
    every test starts, and leaves, with the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


def _database_url_for_worker() -> str:
    """The test database as a DATABASE_URL, so that a worker process reads what the tests wrote."""
    from django.db import connection

    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


class WorkerProcess:
    """A real ``celery worker`` process started from the project's own virtualenv."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None

    def start(self) -> None:
        env = os.environ.copy()
        env["DATABASE_URL"] = _database_url_for_worker()
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "smartedu",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def _migrated_template() -> Path | None:
    """Where a freshly migrated SQLite test database is kept, keyed by everything that shapes it.

    Migrating from nothing takes each test process about ten seconds (76 migrations, some of them loading
    reference data); a copy of the result takes milliseconds. The key covers Django's version and the name
    and text of every migration of every installed app, so a changed, added or removed migration makes a
    new template. PostgreSQL (the production mode) migrates as before.
    """
    import django
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    shared = Path(os.environ.get("SMARTEDU_VAR_DIR") or ROOT / "var").resolve()
    return shared / "migrated" / f"{digest.hexdigest()[:16]}.sqlite3"


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_modify_db_settings: None) -> bool:
    """Start from the migrated template when there is one: Django then keeps the copy and applies nothing."""
    from django.db import connection

    keep = bool(request.config.getvalue("reuse_db"))
    template = _migrated_template()
    if keep or template is None or not template.exists() or request.config.getvalue("create_db"):
        return keep
    target = Path(connection.settings_dict["TEST"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(target.name + "-*"):  # a -wal or -journal of an earlier run
        leftover.unlink()
    _sqlite_copy(template, target)
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_keepdb: bool) -> None:
    """pytest-django's set-up; a process that had to migrate leaves the result as the template."""
    from django.db import connection

    template = _migrated_template()
    if template is None or django_db_keepdb or template.exists():
        return
    template.parent.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}")
    _sqlite_copy(Path(connection.settings_dict["NAME"]), partial)
    os.replace(partial, template)  # atomic: a parallel process sees no template or a whole one


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (a plain file copy could catch a write half-done)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="session")
def _serialized_db_contents(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """The database contents Django serialized after migrating (the reference data of data migrations)."""
    from django.db import connections

    return {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}


def reattach_serialized_contents(contents_by_alias: dict[str, Any]) -> None:
    # Playwright's sync API runs tests in a greenlet with its own context variables, where Django hands out
    # fresh connection objects that lack the serialized contents: give them back.
    from django.db import connections

    for alias, contents in contents_by_alias.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture
def _reattach_serialized_contents(_serialized_db_contents: dict[str, Any]) -> None:
    reattach_serialized_contents(_serialized_db_contents)


@pytest.fixture
def committed_db(
    _reattach_serialized_contents: None, django_db_serialized_rollback: None, transactional_db: None
) -> None:
    """Real commits, visible to other processes and threads (a worker, the live server).

    Django empties the tables after such a test; the serialized rollback puts the reference data of the
    data migrations back first, so every test finds the 31 provinces, 19 editions and so on.
    """


@pytest.fixture
def celery_worker_process(committed_db: None, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A worker process for one test; the test's writes are committed so it sees them."""
    from smartedu.celery import app

    app.control.purge()
    worker = WorkerProcess(tmp_path / "worker.log")
    worker.start()
    deadline = time.monotonic() + 60
    while "ready." not in worker.output():
        assert worker.proc is not None
        if worker.proc.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.proc.returncode}:\n{worker.output()}")
        if time.monotonic() > deadline:
            worker.stop()
            pytest.fail(f"the Celery worker was not ready within 60 s:\n{worker.output()}")
        time.sleep(0.2)
    yield worker
    worker.stop()
