"""Fixtures of the view-statistics tests: a content kind on reference data, beacons, workers, Redis."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from smartedu.stats import registry
from smartedu.stats.models import ObjectDailyView, PlatformDailyView, PlatformHourlyView, ProvinceDailyView

EMBEDDED = not settings.STATS_REDIS_URL
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
# A kind on K-12's reference data (stage/subject pairs): section = stage, column = subject. It is
# registered in this process only, so tests that need a Celery worker count the portal's page kind.
TEST_KIND = "k12.stage_subject"


@pytest.fixture(autouse=True)
def _stats_settings(settings):
    """Counting mechanics: every beacon counts (the de-duplication has its own tests, in tests/security)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "stats_beacon": "100000/min",
        },
    }
    settings.STATS_DEDUPE_SECONDS = 0


@pytest.fixture
def pinned_bucket(settings, monkeypatch):
    """Every view of the test lands in one bucket: the clock of counting stands still at the fixture's start.

    Tests that count batches or queries per flush must not depend on when a bucket boundary passes
    (``-n 4`` made such a test flaky).
    """
    from django.utils import timezone

    from smartedu.stats import services

    settings.STATS_BUCKET_SECONDS = 3600
    moment = timezone.now()
    monkeypatch.setattr(services, "now", lambda: moment)
    return moment


@pytest.fixture(autouse=True)
def _empty_buffer():
    if not EMBEDDED:
        from smartedu.stats.buffer import get_buffer

        buffer = get_buffer()
        for key in buffer.redis.scan_iter(match=f"{buffer.PREFIX}:*"):
            buffer.redis.delete(key)


@pytest.fixture
def test_kind():
    kind = registry.ContentKind(
        key=TEST_KIND,
        platform="k12",
        label="stage subject",
        model="k12.StageSubject",
        section_field="stage",
        column_field="subject",
        counter_field=None,
        select_related=("stage", "subject"),
    )
    registry.register_kind(kind)
    yield kind
    registry.unregister_kind(TEST_KIND)


def beacon(client, items, *, ua: str = BROWSER_UA, body: dict | None = None, **extra):
    return client.post(
        "/api/v1/stats/views/", {"items": items, **(body or {})}, format="json", HTTP_USER_AGENT=ua, **extra
    )


def home(n: int = 1) -> list[dict]:
    return [{"kind": "portal.home", "id": 0}] * n


def rollup_totals() -> dict[str, int]:
    """Views in every rollup that counts all of them (they must agree)."""
    from django.db.models import Sum

    return {
        "platform_day": PlatformDailyView.objects.aggregate(n=Sum("views"))["n"] or 0,
        "platform_hour": PlatformHourlyView.objects.aggregate(n=Sum("views"))["n"] or 0,
        "province_day": ProvinceDailyView.objects.aggregate(n=Sum("views"))["n"] or 0,
    }


def object_total() -> int:
    from django.db.models import Sum

    return ObjectDailyView.objects.aggregate(n=Sum("views"))["n"] or 0


# --- Workers that can be killed and restarted ---------------------------------------------------------------


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.1, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what or predicate}")
        time.sleep(interval)


class KillableWorker:
    """The root conftest's ``WorkerProcess`` with SIGKILL and restart, and extra environment variables."""

    def __init__(self, log_path: Path, env: dict[str, str]) -> None:
        import conftest

        self.worker = conftest.WorkerProcess(log_path)
        self.env = env
        self.starts = 0

    def start(self) -> None:
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            self.worker.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.starts += 1
        wait_for(
            lambda: (
                self.worker.output().count("ready.") >= self.starts or self.worker.proc.poll() is not None
            ),
            what="the worker to be ready",
        )
        if self.worker.proc.poll() is not None:
            pytest.fail(f"the worker exited:\n{self.worker.output()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, no rollback by the process itself."""
        self.worker.proc.kill()
        self.worker.proc.wait()
        self.worker.log.close()

    def stop(self) -> None:
        if self.worker.proc.poll() is None:
            self.worker.stop()

    def output(self) -> str:
        return self.worker.output()


@pytest.fixture
def make_worker(committed_db, tmp_path):
    from smartedu.celery import app

    app.control.purge()
    workers: list[KillableWorker] = []

    def make(**env: str) -> KillableWorker:
        worker = KillableWorker(tmp_path / f"worker-{len(workers)}.log", env)
        workers.append(worker)
        worker.start()
        return worker

    yield make
    for worker in workers:
        worker.stop()


# --- A throwaway Redis that can be restarted (never the shared server) -------------------------------------


class ThrowawayRedis:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)

        def up() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(up, timeout=20, what="the throwaway redis-server")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: Redis flushes its append-only file and exits
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a machine under heavy load: the test's own asserts have run
                self.proc.kill()
                self.proc.wait(timeout=20)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def throwaway_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


from tests.stats.factories import history, hot_history  # noqa: E402, F401  (fixtures)
