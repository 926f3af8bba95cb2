"""Benchmark of the employment job search on PostgreSQL (results: bench/results/employment-<date>.md).

Server time of ``employment.selectors.job_search`` (the bounded count and one page, every query the page
and the API run) over a mix of filter combinations: common, rare and absent values of province, city,
industry, specialty class, salary, job type and "posted within", newest and salary orders, and deep keyset
pages (50 pages in). Keyword queries go through the search engine when job documents exist (common, rare and
absent terms, one- and two-character terms, mixed Chinese and English), each with and without filters.
Where windows are kept (smartedu/search/windows.py) the mix runs three times: repeated searches; every
window missed (the whole index's generation moved before each run); and a random job edited before each
run (what production's churn does: only the windows the edited job matches are read again).

The result goes to ``bench/results/employment-<date>.md``, or ``-2.md``, ``-3.md``… when the day has one.

Baseline measured in the same run: a sequential ``LIKE`` scan of the job titles (``SELECT count(*) FROM
employment_job WHERE title LIKE '%…%'`` with index scans switched off). Targets: p95 ≤ 50 ms, p95 ≤ 0.1× the
baseline, max/median ≤ 10.

Run: ``DATABASE_URL=postgres://…/smartedu_employ DJANGO_SECRET_KEY=bench DJANGO_SECURE_HTTPS=0
EMPLOYMENT_BENCH_JOBS=3800000 .venv/bin/python bench/employment.py``. Loads the bulk plan first if fewer jobs
exist (``EMPLOYMENT_BENCH_JOBS``, default the seed's 3.8 million; employers one per 19 jobs).
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SMARTEDU_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "0")

import django  # noqa: E402

django.setup()
gc.freeze()  # as a worker does once started (smartedu/wsgi.py): no full collections of what setup loaded

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from tqdm import tqdm  # noqa: E402

from employment import selectors  # noqa: E402
from employment.models import Job  # noqa: E402
from employment.seed import SeedPlan, seed_bulk  # noqa: E402
from smartedu.search.backends import get_backend  # noqa: E402
from smartedu.search.models import SearchDocument  # noqa: E402

REPEAT = 5


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(filters: selectors.JobFilters) -> float:
    started = time.perf_counter()
    page = selectors.job_search(filters=filters)
    list(page.jobs)
    return (time.perf_counter() - started) * 1000


def deep_page(filters: selectors.JobFilters, pages: int = 50) -> selectors.JobFilters:
    cursor = ""
    for _ in range(pages):
        page = selectors.job_search(filters=selectors.JobFilters(**{**filters.__dict__, "cursor": cursor}))
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return selectors.JobFilters(**{**filters.__dict__, "cursor": cursor})


def baseline(term: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_indexscan = off; SET enable_bitmapscan = off")
        started = time.perf_counter()
        cursor.execute("SELECT count(*) FROM employment_job WHERE title LIKE %s", [f"%{term}%"])
        cursor.fetchone()
        took = (time.perf_counter() - started) * 1000
        cursor.execute("SET enable_indexscan = on; SET enable_bitmapscan = on")
    return took


def move_generation() -> None:
    """What any change of the index does to the windows kept under it (migration 0005): a new generation
    of the whole match table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_generation SET generation = nextval('search_generation_seq') WHERE kind = ''"
        )


def change_a_job(rng: random.Random, low: int, high: int) -> None:
    """What a job edited does to the index: a random job's document gets a word more (or loses it again),
    through the documents' trigger, which logs its vector before and after (migration 0006) in its own
    transaction. A job that holds a searched term drops that term's windows, as it would in production."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchdocument SET tokens_body = CASE WHEN right(tokens_body, 4) = ' 已更新' "
            "THEN left(tokens_body, -4) ELSE tokens_body || ' 已更新' END "
            "WHERE id = (SELECT id FROM search_searchdocument WHERE kind = 'employment.job' AND id >= %s "
            "ORDER BY id LIMIT 1)",
            [rng.randint(low, high)],
        )


def main() -> int:
    if connection.vendor != "postgresql":
        print("employment bench: PostgreSQL only (set DATABASE_URL)")
        return 0
    wanted = int(os.environ.get("EMPLOYMENT_BENCH_JOBS", "3800000"))
    have = Job.objects.count()
    if have < wanted:
        plan = SeedPlan(
            graduates=0, employers=max(1, wanted // 19), jobs=wanted, registry_per_university=0, bulk=True
        )
        seed_bulk(plan=plan, progress=lambda it, **kw: tqdm(it, **kw))
    jobs = Job.objects.count()
    F = selectors.JobFilters
    mix: dict[str, F] = {
        "no filter, newest": F(),
        "no filter, salary": F(sort="salary"),
        "province (common)": F(province="44"),
        "province + industry": F(province="44", industry="I"),
        "city": F(city="深圳"),
        "city (absent)": F(city="不存在的城市"),
        "industry (rare: T)": F(industry="T"),
        "specialty class (absent)": F(specialty_class="0101"),
        "salary ≥ 10,000": F(salary=10_000),
        "salary ≥ 10,000, salary order": F(salary=10_000, sort="salary"),
        "internship": F(job_type="internship"),
        "master, province": F(education="master", province="11"),
        "posted within 1 day": F(within_days=1),
        "province + industry + education + type": F(
            province="31", industry="C", education="bachelor", job_type="full_time"
        ),
    }
    deep = {f"{name}, page 50": deep_page(filters) for name, filters in list(mix.items())[:4]}
    mix.update(deep)
    documents = SearchDocument.objects.filter(kind="employment.job").count()
    if documents:
        for term in ("会计", "护士", "Java 开发", "工程师", "量子", "不存在词", "教"):
            mix[f"q={term}"] = F(q=term, sort="relevance")
            mix[f"q={term}, province"] = F(q=term, province="44", sort="relevance")
        # the other orders with a keyword, and filters that leave a keyword with nothing (planner traps)
        mix["q=工程师, newest"] = F(q="工程师", sort="newest")
        mix["q=护士, newest"] = F(q="护士", sort="newest")
        mix["q=会计, salary, province + industry"] = F(q="会计", province="44", industry="J", sort="salary")
        mix["q=护士, industry (none there: I)"] = F(q="护士", industry="I", sort="relevance")
        mix["q=Java 开发, city + salary ≥ 10,000"] = F(q="Java 开发", city="深圳", salary=10_000)
    load_start = os.getloadavg()[0]
    rows = []
    all_times: list[float] = []
    for name, filters in tqdm(mix.items(), desc="queries"):
        timed(filters)  # warm
        times = [timed(filters) for _ in range(REPEAT)]
        all_times += times
        rows.append((name, statistics.median(times), max(times)))
    # The same mix with every search missing the window cache (smartedu/search/windows.py): the generation
    # of the whole match table moves before each run, as any change of the jobs' index moves theirs, so
    # each run reads the index and keeps what it read (the first search of a term after a change).
    keeps = settings.SEARCH_WINDOW_SECONDS > 0 and get_backend().keeps_windows
    cold_times: list[float] = []
    cold: dict[str, float] = {}
    if keeps:
        for name, filters in tqdm(mix.items(), desc="queries, every window missed"):
            move_generation()
            timed(filters)
            times = []
            for _ in range(REPEAT):
                move_generation()
                times.append(timed(filters))
            cold_times += times
            cold[name] = statistics.median(times)
    # The same mix with a random job edited before each run (the change log, migration 0006): a window is
    # read again only when the edited job matched or matches its query under its facets.
    churn_times: list[float] = []
    churn: dict[str, float] = {}
    if keeps:
        rng = random.Random(14)
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM search_searchdocument WHERE kind = 'employment.job'")
            low, high = cursor.fetchone()
        for name, filters in tqdm(mix.items(), desc="queries, a job edited before each"):
            change_a_job(rng, low, high)
            timed(filters)
            times = []
            for _ in range(REPEAT):
                change_a_job(rng, low, high)
                times.append(timed(filters))
            churn_times += times
            churn[name] = statistics.median(times)
    base = statistics.median([baseline(t) for t in ("会计", "护士", "工程师")])
    # The portal's federated search over the same index (not part of the job search goal): the grouped page
    # counts every match per kind, so a term with a million job documents costs what its matches cost.
    portal: list[tuple[str, float, float]] = []
    if documents:
        from django.core.cache import cache

        from smartedu.search.selectors import search

        for term in ("会计", "护士", "工程师"):
            times = []
            for _ in range(REPEAT + 1):
                cache.clear()
                started = time.perf_counter()
                search(query=term, respell=False)
                times.append((time.perf_counter() - started) * 1000)
            portal.append((term, statistics.median(times[1:]), max(times[1:])))
    p95 = percentile(all_times, 95)
    median = statistics.median(all_times)
    ratio = p95 / base if base else float("nan")
    today = datetime.now(UTC).date().isoformat()
    lines = [
        f"# Employment job search — {today}",
        "",
        f"PostgreSQL, {jobs:,} jobs, {documents:,} job search documents; {REPEAT} timed runs per query after"
        " one warm-up; server time of `selectors.job_search` (bounded count + one page). 2-core machine,"
        f" load average {load_start:.1f} at the start and {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| query | median ms | max ms |"
        + (" every window missed: median ms | a job edited before each run: median ms |" if keeps else ""),
        "| --- | ---: | ---: |" + (" ---: | ---: |" if keeps else ""),
        *[
            f"| {name} | {med:.1f} | {mx:.1f} |"
            + (f" {cold[name]:.1f} | {churn[name]:.1f} |" if keeps else "")
            for name, med, mx in rows
        ],
        "",
        f"- p95 over the mix: **{p95:.1f} ms** (target ≤ 50 ms)",
        f"- baseline, sequential `LIKE` scan of the titles: {base:.1f} ms;"
        f" p95 / baseline = **{ratio:.3f}** (target ≤ 0.1)",
        f"- max / median over the mix: **{max(all_times) / median:.1f}** (target ≤ 10)",
    ]
    if keeps:
        cold_p95 = percentile(cold_times, 95)
        lines.append(
            f"- every window missed (the index read by every run, as by the first search of a term after a"
            f" change of the jobs' index): p95 {cold_p95:.1f} ms, {cold_p95 / base:.3f}× the baseline,"
            f" max / median {max(cold_times) / statistics.median(cold_times):.1f}"
        )
        churn_p95 = percentile(churn_times, 95)
        lines.append(
            f"- a random job edited before every run (the change log drops only the windows it matches):"
            f" p95 **{churn_p95:.1f} ms**, **{churn_p95 / base:.3f}×** the baseline,"
            f" max / median **{max(churn_times) / statistics.median(churn_times):.1f}**"
        )
    if portal:
        lines += [
            "",
            "Not in the goal: the portal's grouped `/search/` page (`smartedu.search.selectors.search`) over"
            " the same index, cache cleared before each run:",
            "",
            "| term | median ms | max ms |",
            "| --- | ---: | ---: |",
            *[f"| {term} | {med:.1f} | {mx:.1f} |" for term, med, mx in portal],
        ]
    if not documents:
        lines.append(
            "- keyword queries not measured: no job search documents at this scale (see docs/employment.md)"
        )
    # A day's later runs keep its earlier results: employment-<date>-2.md, -3.md…
    results = ROOT / "bench" / "results"
    out = results / f"employment-{today}.md"
    run = 1
    while out.exists():
        run += 1
        out = results / f"employment-{today}-{run}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
