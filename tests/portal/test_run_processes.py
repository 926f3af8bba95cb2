"""`make run` serves web, worker and beat from the Procfile together and stops them together on Ctrl-C."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_makefile_run_target_uses_the_procfile():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: .*seed.*static", makefile, re.M)
    assert "honcho --procfile Procfile start" in makefile
    procfile = (ROOT / "Procfile").read_text()
    assert {line.split(":")[0] for line in procfile.splitlines() if line} == {"web", "worker", "beat"}


def test_packaging_is_declared_for_kombu():
    # kombu 5.7's Redis transport imports `packaging` without declaring it.
    assert '"packaging' in (ROOT / "pyproject.toml").read_text()


def test_web_worker_and_beat_start_and_stop_together(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(SMARTEDU_VAR_DIR=str(tmp_path), SMARTEDU_BIND=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)

    log = (tmp_path / "honcho.log").open("w+b")
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "--no-colour", "--procfile", "Procfile", "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    output = lambda: (tmp_path / "honcho.log").read_text(errors="replace")  # noqa: E731
    try:
        deadline = time.monotonic() + 90
        home = None
        while time.monotonic() < deadline:
            text = output()
            if "ready." in text and "beat: Starting" in text:
                try:
                    home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                    break
                except OSError:
                    pass
            assert honcho.poll() is None, text
            time.sleep(0.5)
        assert home is not None, output()
        assert home.status == 200
        assert "国家智慧教育平台" in home.read().decode()
    finally:
        honcho.send_signal(signal.SIGINT)  # what Ctrl-C sends
        honcho.wait(timeout=30)
        log.close()
    text = output()
    for name in ("web", "worker", "beat"):
        assert re.search(rf"{name}\.1 stopped \(rc=", text), text
    assert "SIGKILL" not in text  # every process stopped on its own, in time
    for pid in map(int, re.findall(r"started \(pid=(\d+)\)", text)):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
