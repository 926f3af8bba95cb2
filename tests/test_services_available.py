"""`make test` skips the production-mode run loudly when PostgreSQL or Redis is down."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("services_available.py")


def run(db: str, redis: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCRIPT, db, redis], capture_output=True, text=True, timeout=30)


def test_unreachable_postgres_is_reported():
    result = run("postgres://postgres@127.0.0.1:1/x", "redis://127.0.0.1:6379/0")
    assert result.returncode == 1
    assert "PostgreSQL at 127.0.0.1:1 cannot be reached" in result.stdout


def test_unreachable_redis_is_reported():
    result = run("postgres://postgres@127.0.0.1:5432/x", "redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "Redis at redis://127.0.0.1:1/0 cannot be reached" in result.stdout


def test_makefile_fails_the_skip_when_services_are_required():
    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert "SMARTEDU_REQUIRE_SERVICES" in makefile
    assert "SMARTEDU_REQUIRE_SERVICES=1" in ci
