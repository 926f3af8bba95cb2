"""``make bench``: every benchmark of the project (each writes its results under bench/results/)."""

import runpy
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*.py")):
    if script.name != "run.py":
        print(f"=== {script.name} ===")
        runpy.run_path(str(script), run_name="__main__")
