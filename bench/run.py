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


def main() -> int:
    failed: list[str] = []
    for script in sorted(HERE.glob("*.py")):
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
