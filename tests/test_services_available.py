"""`make test` skips the production-mode run loudly when a service is down; CI runs it and forbids the skip;
the README's make commands run."""

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


@pytest.mark.slow  # runs make in a fresh process
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


def test_ci_runs_make_test_with_the_services_required(tmp_path):
    # given a `make` that records how CI calls it
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    record = tmp_path / "make-called"
    (fake_bin / "make").write_text(f'#!/bin/sh\necho "$* REQUIRE=$SMARTEDU_REQUIRE_SERVICES" >> {record}\n')
    (fake_bin / "make").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}", "SMARTEDU_REQUIRE_SERVICES": "0"}
    # when CI runs its test step
    result = subprocess.run(
        ["bash", ".ci/run", "tests"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    # then it ran `make test` once, with the production-mode run required
    assert result.returncode == 0, result.stdout + result.stderr
    assert record.read_text() == "test REQUIRE=1\n"


def test_ci_refuses_a_step_it_does_not_have():
    result = subprocess.run(
        ["bash", ".ci/run", "deploy"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "unknown step 'deploy'" in result.stderr


def _readme_make_commands() -> set[str]:
    return set(
        re.findall(r"(?<![\w-])make ((?:[a-z][\w-]*)(?: [A-Z_]+=\S+)*)", (ROOT / "README.md").read_text())
    )


def test_every_make_command_in_the_readme_runs():
    # Each `make <target>` the README shows is a target make can run: a dry run (-n) resolves every
    # prerequisite and prints the recipe without executing it.
    commands = _readme_make_commands()
    assert {"run", "test"} <= commands
    for command in sorted(commands):
        result = subprocess.run(
            ["make", "--dry-run", "--no-print-directory", *command.split()],
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"make {command}: {result.stderr}"
