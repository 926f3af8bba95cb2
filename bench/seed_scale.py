"""G7 (issue 14): ``seed_demo --scale seed`` (every sub-platform that has a seeder) on a fresh database.

Drops and re-creates ``BENCH_SEED_DATABASE_URL`` (``postgres://postgres@127.0.0.1:5432/smartedu_bench_seed``,
which ``bench/flush_scale.py`` then uses), migrates it (timed apart), and times the
seed under ``/usr/bin/time -v`` for its peak memory (maximum resident set). The seed ends with ``ANALYZE``.
Goal: ≤ 10 minutes on 2 cores, with bounded memory. Writes ``bench/results/seed-<date>.md``.
Set ``BENCH_SEED_PROFILE=<file>`` to record the seeding process with py-spy (collapsed stacks, waiting
included; ``pip install py-spy`` first). Set ``BENCH_SEED_KEEP=1`` to keep an already seeded database (no
figure is written then).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_SEED_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smartedu_bench_seed")
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
    "DJANGO_SECURE_HTTPS": "0",
    "SMARTEDU_VAR_DIR": str(ROOT / "var" / "bench-seed"),
}
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PROFILE = os.environ.get("BENCH_SEED_PROFILE", "")
SEARCH_STEP = r"INFO smartedu\.search\.\w+ (search (?:reconcile|seed) .*)$"  # the search seeder's steps
SEEDED = r"^seeded (\S+): (\d+) s, peak memory (\d+) MiB$"  # a line seed_demo prints after each seeder


def psql(database: str, command: str) -> str:
    import psycopg2

    admin = psycopg2.connect(re.sub(r"/[^/?]+(\?|$)", f"/{database}\\1", URL, count=1))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(command)
        rows = cursor.fetchall() if cursor.description else []
    admin.close()
    return "\n".join(" | ".join(str(v) for v in row) for row in rows)


def main() -> int:
    name = URL.rsplit("/", 1)[1].split("?")[0]
    if os.environ.get("BENCH_SEED_KEEP") and psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    ):
        print(f"keeping {name}")
        return 0
    started = datetime.now(tz=UTC)
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    psql("postgres", f'CREATE DATABASE "{name}"')
    (ROOT / "var" / "bench-seed").mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    migrate_s = time.monotonic() - t0
    t0 = time.monotonic()
    command = [PYTHON, "manage.py", "seed_demo", "--scale", "seed", "--no-progress"]
    if PROFILE:  # py-spy samples the seeding process, waiting included (``--idle``): where its time goes
        command = [
            "py-spy",
            "record",
            "--idle",
            "--rate",
            "20",
            "--format",
            "raw",
            "-o",
            PROFILE,
            "--",
            *command,
        ]
    run = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        cwd=ROOT, env=ENV, capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode:
        print(run.stdout[-5000:], run.stderr[-5000:], sep="\n")
        return run.returncode
    seed_s = time.monotonic() - t0
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)[1])  # type: ignore[index]
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", run.stderr)[1]  # type: ignore[index]
    analyzed = psql(name, "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
    tables = psql(name, "SELECT count(*) FROM pg_stat_user_tables")
    rows = psql(
        name,
        "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 8",
    )
    size = psql(name, f"SELECT pg_size_pretty(pg_database_size('{name}'))")
    met = seed_s <= 600
    lines = [
        f"# G7: `seed_demo --scale seed` on a fresh database — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end (a shared machine).",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| migrate (not part of the goal) | {migrate_s:.0f} |",
        f"| seed_demo --scale seed, ANALYZE included | {seed_s:.0f} |",
        "",
        f"Goal ≤ 600 s: **{'met' if met else f'missed by {seed_s / 600 - 1:.0%}'}**. "
        f"Peak memory of the seeding process: {rss_kb / 1024:.0f} MiB "
        f"(it got {cpu} % of a CPU: the rest is PostgreSQL's work and waiting). "
        f"Tables analysed: {analyzed} of {tables}. Database size: {size}.",
        "",
        "Largest tables (rows): " + "; ".join(line.replace(" | ", " ") for line in rows.splitlines()) + ".",
        "",
        "Each seeder (in order), with the process's peak memory after it (it only grows: the seeder where it",
        "jumps is the one that holds memory):",
        "",
        "| seeder | seconds | peak memory after it (MiB) |",
        "| --- | ---: | ---: |",
        *[f"| {key} | {secs} | {mib} |" for key, secs, mib in re.findall(SEEDED, run.stdout, re.M)],
        "",
        "The search seeder's steps, as it logs them:",
        "",
        *[f"- {line}" for line in re.findall(SEARCH_STEP, run.stderr, re.M)],
    ]
    out = ROOT / "bench" / "results" / f"seed-{started.date().isoformat()}.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
