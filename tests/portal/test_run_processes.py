"""`make run` migrates, seeds and serves web, worker and beat together, and stops them together on Ctrl-C."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.slow]

# Variables of the test run that must not leak into `make run`: the production services, the browser tests'
# switch, and a parent make's or pytest-xdist's settings.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PYTEST_XDIST_WORKER",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_run_seeds_and_serves_web_worker_and_beat_then_stops_them_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(SMARTEDU_VAR_DIR=str(tmp_path), SMARTEDU_BIND=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    log = (tmp_path / "make-run.log").open("w+b")
    # A session of its own, like a terminal's foreground job: Ctrl-C signals make and everything it started.
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def output() -> str:
        return (tmp_path / "make-run.log").read_text(errors="replace")

    try:
        deadline = time.monotonic() + 240
        home = None
        while time.monotonic() < deadline:
            text = output()
            if "ready." in text and "beat: Starting" in text:
                try:
                    home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                    break
                except OSError:
                    pass
            assert make.poll() is None, text
            time.sleep(0.5)
        assert home is not None, output()
        assert home.status == 200
        assert "国家智慧教育平台" in home.read().decode()
        # The seed ran before the servers: the demo accounts it prints exist in the database it served from.
        assert re.search(r"student\s+.*password: smartedu-demo", output())
        assert (tmp_path / "db.sqlite3").exists()
        assert (tmp_path / "staticfiles" / "staticfiles.json").exists()  # collectstatic ran
    finally:
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground job
        make.wait(timeout=60)
        log.close()
    text = output()
    for name in ("web", "worker", "beat"):
        assert re.search(rf"{name}\.1 stopped \(rc=", text), text
    assert "SIGKILL" not in text  # every process stopped on its own, in time
    for pid in map(int, re.findall(r"started \(pid=(\d+)\)", text)):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
