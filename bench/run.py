"""``make bench``: every benchmark of the project, each in a process of its own.

Each ``bench/*.py`` writes its figures under ``bench/results/`` (committed, so that runs can be compared);
a benchmark that fails does not stop the others, and ``make bench`` then exits 1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The seed-scale database comes first: the flush benchmark reads it.
FIRST = ["seed_scale.py", "flush_scale.py", "http_load.py"]


def main() -> int:
    failed: list[str] = []
    scripts = sorted(
        HERE.glob("*.py"),
        key=lambda p: (p.name not in FIRST, FIRST.index(p.name) if p.name in FIRST else 0, p.name),
    )
    for script in scripts:
        if script.name == "run.py":
            continue
        print(f"=== {script.name} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        took = time.monotonic() - started
        print(f"=== {script.name}: exit {result.returncode} in {took:.0f} s ===", flush=True)
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
