"""Search latency at the K-12 seed scale: p95 of server time for the judged query mix, against a sequential
``icontains`` over the same rows in the same run (goal: p95 ≤ 20 ms and ≤ 0.1× the baseline).

Run on a database seeded with ``seed_demo --scale seed`` (the environment's DATABASE_URL; PostgreSQL for the
production figures). The script adds the real-TOC lessons of smartedu/search/reference/ if they are missing
(today's seed titles are "第1课 阅读与理解"), brings the index up to date, then times in-process:

* ``grouped``: ``selectors.search(query=q)``, all the work of ``/search/?q=`` (counts per kind, best hits
  per sub-platform, rows, the visibility check, snippets);
* ``list``: one page of the API's flat list (``groups=False``);
* ``baseline``: ``SearchDocument`` rows whose title or text ``icontains`` the query: count + the 20 most
  popular — the same answer shape, found by scanning.

Writes bench/results/search-<date>.md (``BENCH_SEARCH_RESULT`` names another file).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from k12.models import Lesson  # noqa: E402
from smartedu.search import selectors, services  # noqa: E402
from smartedu.search.models import SearchDocument  # noqa: E402

REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "15"))
EXTRA = [
    "数学",
    "语文",
    "英语",
    "阅读与理解",
    "第3课",
    "眼保健操",
    "作业设计",
    "人教版 数学",
    "Python 数据分析",
    "会计",
]


def judged_queries() -> list[str]:
    text = (ROOT / "docs" / "search-quality.md").read_text(encoding="utf-8")
    return re.findall(r"^\|\s*\d+\s*\|[^|]+\|\s*`([^`]+)`", text, flags=re.M)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(fn, queries: list[str]) -> list[float]:
    for query in queries:  # warm caches and plans once
        fn(query)
    samples = []
    for _ in range(REPEAT):
        for query in queries:
            start = time.perf_counter()
            fn(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def grouped(query: str) -> None:
    selectors.search(query=query, respell=False)


def flat(query: str) -> None:
    selectors.search(query=query, groups=False, respell=False)


def baseline(query: str) -> None:
    rows = SearchDocument.objects.filter(Q(title__icontains=query) | Q(body__icontains=query))
    rows.count()
    list(rows.order_by("-popularity", "pk").values_list("pk", "title")[:20])


def main() -> None:
    if not Lesson.objects.filter(title="17.1 勾股定理").exists():
        from tests.search.toc import build_toc_content

        print("adding the real-TOC lessons …")
        build_toc_content()
    if not os.environ.get("BENCH_SEARCH_NO_RECONCILE"):  # set it for repeated runs on the same database
        print("bringing the index up to date …")
        services.search_reconcile()
    documents = SearchDocument.objects.count()
    queries = judged_queries() + EXTRA
    print(f"{documents} documents, {len(queries)} queries × {REPEAT}")
    load_before = os.getloadavg()
    figures = {
        name: timed(fn, queries)
        for name, fn in (("grouped", grouped), ("list", flat), ("baseline", baseline))
    }
    rows = []
    for name, samples in figures.items():
        rows.append((name, statistics.median(samples), percentile(samples, 95), max(samples)))
    base_p95 = rows[-1][2]
    vendor = connection.vendor
    kinds = ", ".join(f"{k} {v}" for k, v in _by_kind().items())
    lines = [
        f"# Search benchmark, {date.today().isoformat()}",
        "",
        f"Database: {vendor}; {documents} documents ({kinds}); "
        f"{len(queries)} queries (the judged set of docs/search-quality.md and {len(EXTRA)} common terms), "
        f"each {REPEAT} times; server time in process, milliseconds. Load average (1 / 5 / 15 min) at the "
        f"start of the timing: {' / '.join(f'{x:.1f}' for x in load_before)}, at its end: "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}, on {os.cpu_count()} cores.",
        "",
        "| what | p50 ms | p95 ms | max ms | p95 / baseline p95 | goal |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, p50, p95, worst in rows:
        goal = "p95 ≤ 20 ms and ≤ 0.1×" if name != "baseline" else "(sequential icontains)"
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {p95 / base_p95:.3f}× | {goal} |")
    for name, _, p95, _ in rows[:-1]:
        met = p95 <= 20 and p95 <= 0.1 * base_p95
        lines.append("")
        lines.append(
            f"{name}: goal {'met' if met else 'missed'} "
            f"(p95 {p95:.1f} ms, {p95 / base_p95:.3f}× the baseline)."
        )
    slowest = sorted(((statistics.median([grouped_time(q)]), q) for q in queries), reverse=True)[:5]
    lines += ["", "Slowest queries (grouped, one run): " + ", ".join(f"`{q}` {t:.1f} ms" for t, q in slowest)]
    name = os.environ.get("BENCH_SEARCH_RESULT") or f"search-{date.today().isoformat()}.md"
    out = ROOT / "bench" / "results" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {out.relative_to(ROOT)}")


def grouped_time(query: str) -> float:
    start = time.perf_counter()
    grouped(query)
    return (time.perf_counter() - start) * 1000


def _by_kind() -> dict[str, int]:
    from django.db.models import Count

    return dict(SearchDocument.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))


if __name__ == "__main__":
    main()
