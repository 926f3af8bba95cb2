"""`make test` skips the production-mode run loudly when a service is down; CI forbids the skip."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "services_available.py"


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


@pytest.mark.parametrize(("required", "expected_rc"), [("0", 0), ("1", 2)])
def test_make_test_production_skips_loudly_or_fails_when_required(required, expected_rc):
    env = {**os.environ, "SMARTEDU_REQUIRE_SERVICES": required}
    result = subprocess.run(
        ["make", "--no-print-directory", "test-production", "TEST_REDIS_URL=redis://127.0.0.1:1/0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == expected_rc, result.stdout + result.stderr
    assert "PRODUCTION-MODE TESTS SKIPPED: Redis at redis://127.0.0.1:1/0 cannot be reached" in result.stdout


def test_ci_requires_the_services_and_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "export SMARTEDU_REQUIRE_SERVICES=1" in ci
    assert re.search(r"^make test$", ci, re.M)


def test_readme_quick_start_is_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [
        line.split("#")[0].strip()
        for line in quick_start.split("```sh", 1)[1].split("```", 1)[0].splitlines()
    ]
    assert [c for c in commands if c] == ["make run", "make test"]
