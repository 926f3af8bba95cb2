"""Benchmark of the higher-education catalogue at seed scale (results: bench/results/higher_ed-<date>.md).

Server time measured in process through Django's test client (every middleware, template and query, no
network), on the seed's 20,000 courses:

* the catalogue page with three facets chosen at random (counts included): target p95 ≤ 30 ms;
* typeahead (``/api/v1/higher-ed/suggest/?q=``) with one to three typed characters: target p95 ≤ 10 ms;
* a platform switch: the rows it writes (none of the course table: PostgreSQL's own counter of updated course
  rows is read before and after), and every list in the very next request (catalogue, facet counts, API,
  suggestions, sitemap, home-page figures) without the platform's courses; then switched back on.

Baselines measured in the same run: ``/healthz`` (a bare view through the same stack) and the facet counts
computed in SQL the obvious way (one grouped query per facet over ``Course.objects.visible()``).

Run against PostgreSQL: ``DATABASE_URL=postgres://…/smartedu_higher REDIS_URL=redis://…/7
DJANGO_SECRET_KEY=bench DJANGO_SECURE_HTTPS=0 .venv/bin/python bench/higher_ed.py``. Seeds the
higher-education data at seed scale first if missing (idempotent, ~2 minutes).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SMARTEDU_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "0")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# Pages render without a collectstatic manifest (static files are not what is measured).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from higher_ed import catalogue, selectors, services  # noqa: E402
from higher_ed.filters import CatalogueParamsSerializer  # noqa: E402
from higher_ed.models import Course, Platform  # noqa: E402
from higher_ed.seed import seed_higher_ed, seeded_counts  # noqa: E402
from smartedu.accounts.models import User  # noqa: E402
from smartedu.accounts.seed import seed_accounts  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "300"))
# Thousands of requests from one address in seconds: the per-address API throttles would refuse them.
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle  # noqa: E402

AnonRateThrottle.rate = UserRateThrottle.rate = "1000000/min"
client = Client(HTTP_HOST="127.0.0.1")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max": round(ordered[-1], 2),
    }


CPU: dict[str, list[float]] = {}


def timed_ms(fn: Callable[[], object], cpu: str = "") -> float:
    """Wall time of ``fn`` in ms; with ``cpu``, this process's CPU time is kept too (under that name)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    fn()
    if cpu:
        CPU.setdefault(cpu, []).append((time.process_time() - cpu_start) * 1000)
    return (time.perf_counter() - start) * 1000


def get_ok(url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def three_facet_urls(rng: random.Random, n: int) -> list[str]:
    """Catalogue addresses with three facets drawn at random among the values that have courses."""
    options = {
        facet: [v.value for v in values]
        for facet, values in selectors.facet_counts(query=selectors.CatalogueQuery()).items()
        if values
    }
    urls = []
    for _ in range(n):
        facets = rng.sample(sorted(options), 3)
        query = "&".join(f"{facet}={rng.choice(options[facet])}" for facet in facets)
        urls.append(f"/higher-ed/?{query}")
    return urls


def sql_facet_counts(query: selectors.CatalogueQuery) -> None:
    """The baseline: one grouped SQL query per facet, each under the other chosen facets."""
    chosen = {
        "category": query.category,
        "specialty_class": query.specialty_class,
        "university": query.university,
        "platform": query.platform,
    }
    base = Course.objects.visible()
    for facet in chosen:
        others = {f"{f}_id": v for f, v in chosen.items() if v is not None and f != facet}
        list(base.filter(**others).values(f"{facet}_id").annotate(n=Count("pk")).order_by())
    flags = {name: getattr(query, name) for name in selectors.BOOLEAN_FACETS}
    for facet in (*selectors.BOOLEAN_FACETS, "language", "status"):
        others = {f: v for f, v in flags.items() if v is not None and f != facet}
        list(base.filter(**others).values("first_class").annotate(n=Count("pk")).order_by())


def bench_catalogue(rng: random.Random) -> dict:
    urls = three_facet_urls(rng, RUNS)
    for url in urls[:20]:
        get_ok(url)  # warm the process: the index is built once per catalogue change
    samples = [
        timed_ms(lambda url=url: get_ok(url), cpu="catalogue")
        for url in tqdm(urls, desc="catalogue", mininterval=5)
    ]
    hello = [timed_ms(lambda: get_ok("/healthz"), cpu="healthz") for _ in range(RUNS)]
    queries = []
    for url in urls[:20]:
        with CaptureQueriesContext(connection) as captured:
            get_ok(url)
        queries.append(len(captured))
    sql = []
    for _ in range(min(RUNS, 100)):
        pick = rng.choice(urls)
        params = dict(part.split("=") for part in pick.split("?", 1)[1].split("&"))
        serializer = CatalogueParamsSerializer(data=params)
        serializer.is_valid(raise_exception=True)
        query = serializer.query()
        sql.append(timed_ms(lambda query=query: sql_facet_counts(query)))
    ours = [timed_ms(lambda: selectors.facet_counts(query=query)) for _ in range(100)]
    return {
        "page": percentiles(samples),
        "page_cpu": percentiles(CPU["catalogue"]),
        "healthz": percentiles(hello),
        "healthz_cpu": percentiles(CPU["healthz"]),
        "queries_per_page": sorted(set(queries)),
        "facet_counts_index": percentiles(ours),
        "facet_counts_sql_baseline": percentiles(sql),
    }


def bench_typeahead(rng: random.Random) -> dict:
    index = catalogue.catalogue_index()
    words = [t.text for t in index.terms]
    prefixes = []
    for _ in range(RUNS):
        word = rng.choice(words)
        start = rng.randrange(max(1, len(word) - 1))
        prefixes.append(word[start : start + rng.randint(1, 3)])
    for q in prefixes[:20]:
        get_ok(f"/api/v1/higher-ed/suggest/?q={q}")
    samples = [
        timed_ms(lambda q=q: get_ok(f"/api/v1/higher-ed/suggest/?q={q}"), cpu="suggest")
        for q in tqdm(prefixes, desc="typeahead", mininterval=5)
    ]
    return {"suggest": percentiles(samples), "suggest_cpu": percentiles(CPU["suggest"]), "terms": len(words)}


def course_rows_updated() -> int:
    """PostgreSQL's count of updated rows of the course table (statistics flushed first)."""
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            cursor.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(1.2)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'higher_ed_course'")
        return int(cursor.fetchone()[0])


def bench_switch() -> dict:
    admin = User.objects.filter(username="admin").first()
    target = Platform.objects.get(code="xuetangx")
    hidden_ids = set(Course.objects.filter(platform=target).values_list("pk", flat=True))
    title = (
        Course.objects.filter(platform=target).order_by("-hot_score").values_list("title", flat=True).first()
    )
    get_ok("/higher-ed/")
    updated_before = course_rows_updated() if connection.vendor == "postgresql" else None
    with CaptureQueriesContext(connection) as captured:
        switch_ms = timed_ms(
            lambda: services.platform_switch(
                platform=target, enabled=False, reason="基准测试：关闭", by=admin
            )
        )
    writes = [
        q["sql"].split()[0:3] for q in captured if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    # The very next request of every list.
    first_ms = timed_ms(lambda: get_ok("/higher-ed/"))
    page = client.get("/higher-ed/").content.decode()
    facets = client.get("/api/v1/higher-ed/facets/").json()
    courses = client.get("/api/v1/higher-ed/courses/?page_size=100").json()
    detail = client.get(f"/api/v1/higher-ed/courses/{min(hidden_ids)}/").status_code
    suggest = client.get(f"/api/v1/higher-ed/suggest/?q={title}").json()["suggestions"]
    sitemap = client.get("/sitemap-higher-ed-platforms.xml").content.decode()
    home = client.get("/").content.decode()
    checks = {
        "catalogue page without the platform": "学堂在线</a>"
        not in page.split('data-facet="platform"')[1].split("</section>")[0],
        "facet counts without the platform": "xuetangx" not in [v["value"] for v in facets["platform"]],
        "API list count dropped": courses["count"] == Course.objects.visible().count(),
        "API detail 404": detail == 404,
        "no hidden course in the API page": not hidden_ids & {c["id"] for c in courses["results"]},
        "sitemap without the platform": "/higher-ed/platforms/xuetangx/" not in sitemap,
        "suggestions without its only titles": all(
            s["url"] != f"/higher-ed/courses/{min(hidden_ids)}/" for s in suggest
        ),
        "home-page figure follows": re.search(
            rf"<dd>{Course.objects.visible().count():,}</dd>|<dd>{Course.objects.visible().count()}</dd>",
            home,
        )
        is not None,
    }
    updated_after = course_rows_updated() if connection.vendor == "postgresql" else None
    services.platform_switch(platform=target, enabled=True, reason="基准测试：恢复", by=admin)
    back = client.get("/api/v1/higher-ed/facets/").json()
    checks["switched on: back in the facet counts"] = "xuetangx" in [v["value"] for v in back["platform"]]
    return {
        "platform_courses": len(hidden_ids),
        "switch_ms": round(switch_ms, 2),
        "writes": [" ".join(w) for w in writes],
        "course_rows_updated": None if updated_before is None else updated_after - updated_before,
        "first_request_after_ms": round(first_ms, 2),
        "checks": checks,
    }


def list_queries() -> dict:
    counts = {}
    for url in (
        "/higher-ed/",
        "/higher-ed/?category=08&credit=true&status=open",
        "/api/v1/higher-ed/courses/",
        "/api/v1/higher-ed/facets/?category=08",
        "/api/v1/higher-ed/suggest/?q=数据",
        "/api/v1/higher-ed/universities/",
        "/api/v1/higher-ed/teachers/",
    ):
        get_ok(url)
        with CaptureQueriesContext(connection) as captured:
            ms = timed_ms(lambda url=url: get_ok(url))
        counts[url] = {"queries": len(captured), "ms": round(ms, 2)}
    return counts


def write_report(results: dict) -> Path:
    page, hello = results["catalogue"]["page"], results["catalogue"]["healthz"]
    index, sql = results["catalogue"]["facet_counts_index"], results["catalogue"]["facet_counts_sql_baseline"]
    suggest = results["typeahead"]["suggest"]
    page_cpu, suggest_cpu = results["catalogue"]["page_cpu"], results["typeahead"]["suggest_cpu"]
    hello_cpu = results["catalogue"]["healthz_cpu"]
    switch = results["switch"]
    lines = [
        f"# Higher education at seed scale — {results['date']}",
        "",
        f"Database: {results['database']}; data: {results['counts']}.",
        f"Server time in process (Django test client, full middleware), {RUNS} requests each, one process; "
        f"load average at the start {results['load'][0]:.1f} on {os.cpu_count()} cores (a shared machine).",
        "",
        "| figure | p50 ms | p95 ms | max ms | target | baseline (same run) | ratio p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| catalogue page, 3 random facets, counts included | {page['p50']} | {page['p95']} | "
        f"{page['max']} | "
        f"p95 ≤ 30 | `/healthz` p95 {hello['p95']} | {page['p95'] / hello['p95']:.1f}× |",
        f"| — its CPU time in the web process | {page_cpu['p50']} | {page_cpu['p95']} | {page_cpu['max']} | "
        f"— | `/healthz` CPU p95 {hello_cpu['p95']} | {page_cpu['p95'] / hello_cpu['p95']:.1f}× |",
        f"| facet counts alone (index) | {index['p50']} | {index['p95']} | {index['max']} | — | "
        f"SQL, one grouped query per facet, p95 {sql['p95']} | {index['p95'] / sql['p95']:.2f}× |",
        f"| typeahead `suggest/?q=` (1–3 chars) | {suggest['p50']} | {suggest['p95']} | {suggest['max']} | "
        f"p95 ≤ 10 | `/healthz` p95 {hello['p95']} | {suggest['p95'] / hello['p95']:.1f}× |",
        f"| — its CPU time in the web process | {suggest_cpu['p50']} | {suggest_cpu['p95']} | "
        f"{suggest_cpu['max']} | — | `/healthz` CPU p95 {hello_cpu['p95']} | "
        f"{suggest_cpu['p95'] / hello_cpu['p95']:.1f}× |",
        "",
        f"Queries per catalogue page: {results['catalogue']['queries_per_page']} "
        "(catalogue token, the page of courses, their teachers).",
        "Wall time includes waiting for a CPU and for PostgreSQL on a shared machine; CPU time is the work "
        "this web process does for the request (the database's own work excluded).",
        "",
        "## Platform switch",
        "",
        f"- switched 学堂在线 off ({switch['platform_courses']} courses) in {switch['switch_ms']} ms; "
        "rows written: "
        f"{switch['writes']}",
        "- course rows updated (pg_stat_user_tables.n_tup_upd of higher_ed_course): "
        f"{switch['course_rows_updated']}",
        "- first request after the switch (the process rebuilds its index): "
        f"{switch['first_request_after_ms']} ms",
        "- in the very next request:",
        *[f"  - {name}: {'yes' if ok else 'NO'}" for name, ok in switch["checks"].items()],
        "",
        "## Query counts of list pages",
        "",
        "| address | queries | ms |",
        "| --- | --- | --- |",
        *[f"| `{url}` | {v['queries']} | {v['ms']} |" for url, v in results["lists"].items()],
        "",
        f"Targets: catalogue {'met' if page['p95'] <= 30 else 'MISSED'}, typeahead "
        f"{'met' if suggest['p95'] <= 10 else 'MISSED'}, switch "
        f"{'met' if all(switch['checks'].values()) and not switch['course_rows_updated'] else 'MISSED'}.",
        "",
    ]
    out = ROOT / "bench" / "results" / f"higher_ed-{results['date']}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def main() -> None:
    call_command("migrate", verbosity=0)

    def progress(items, *, total=None, desc=""):
        return tqdm(items, total=total, desc=desc, mininterval=5)

    seed_accounts(scale="small", progress=progress)
    seed_higher_ed(scale="seed", progress=progress)
    rng = random.Random(20220329)
    catalogue.catalogue_index()
    results = {
        "load": os.getloadavg(),
        "date": datetime.now(tz=UTC).date().isoformat(),
        "database": connection.vendor,
        "counts": {
            k: v for k, v in seeded_counts().items() if k in ("courses", "universities", "enrollments")
        },
        "catalogue": bench_catalogue(rng),
        "typeahead": bench_typeahead(rng),
        "switch": bench_switch(),
        "lists": list_queries(),
    }
    path = write_report(results)
    print(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
