"""HTTP benchmark (``make bench``): the figures users meet, each against baselines served in the same run.

Production mode end to end: PostgreSQL, Redis, a Celery worker with beat (the flush runs while the beacon
is loaded), gunicorn with ``BENCH_WORKERS`` sync workers (2), and wrk (the Debian package) on loopback with
``BENCH_CONNECTIONS`` connections (16) for ``BENCH_SECONDS`` (10) per figure, ``BENCH_MIXED_SECONDS`` (60)
for the mixed load. Baselines on the same server, settings and middleware (``bench/server/``):

* ``hello`` — a bare Django view returning "hello" (the ratio's denominator of G1 and G2);
* ``hitcount`` — django-hitcount's counting view, installed in ``var/bench/site`` only.

Writes ``bench/results/http-<date>.md`` (figures, baselines, ratios, goals met or missed and by how much)
and ``bench/results/http-<date>.json`` (``BENCH_SUFFIX=-2`` writes ``http-<date>-2.*``). Services:
``BENCH_DATABASE_URL`` (``postgres://postgres@127.0.0.1:5432/smartedu_bench``, created if missing) and
``BENCH_REDIS_URL`` (``redis://127.0.0.1:6379/13``; the benchmark flushes this Redis database, give it one
of its own); ``BENCH_STATS_REDIS_URL`` gives the view buffer a Redis of its own (``unix:///…?db=13``: a
Unix socket where Redis is on the same host), also flushed.
``BENCH_ONLY=hello,beacon`` runs only the figures named and ``BENCH_REUSE=1`` skips the migration, the demo
data and collectstatic (development).

The rate limits (beacon, API) are raised for the run: the load comes from one address, which a real
population of visitors never is. The beacon's limit still runs, inside its Lua script, on every request.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-http"
SITE = ROOT / "var" / "bench" / "site"  # the benchmark's own packages (django-hitcount)
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
BENCH_PACKAGES = ["django-hitcount==1.3.5", "django-etc==1.4.0"]

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smartedu_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# The view buffer's own Redis (``STATS_REDIS_URL``), if not the same: a Unix socket where Redis is local.
STATS_REDIS_URL = os.environ.get("BENCH_STATS_REDIS_URL", "")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "60"))
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters: Django accepts it as an unmasked secret


def server_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "STATS_REDIS_URL"))
    }
    if STATS_REDIS_URL:
        env["STATS_REDIS_URL"] = STATS_REDIS_URL
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.server.settings",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_SECURE_HTTPS="0",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        SMARTEDU_VAR_DIR=str(VAR),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(SITE)]),
        API_THROTTLE_STATS_BEACON="1000000000/min",
        API_THROTTLE_ANON="1000000000/min",
        API_THROTTLE_USER="1000000000/min",
        API_THROTTLE_SEARCH_SUGGEST="1000000000/min",
        WEB_CONCURRENCY=str(WORKERS),
    )
    return env


# --- Set-up -------------------------------------------------------------------------------------------------


def ensure_tools() -> None:
    if not (SITE / "hitcount").is_dir():
        print("installing the baseline library into var/bench/site:", ", ".join(BENCH_PACKAGES), flush=True)
        subprocess.run(
            [
                BIN / "python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                SITE,
                *BENCH_PACKAGES,
            ],
            check=True,
        )
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            sys.exit("wrk is missing: apt-get install wrk (Debian), then run make bench again.")
        print("installing wrk (Debian package)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)


def ensure_database() -> None:
    import psycopg2
    from psycopg2 import sql

    match = re.match(r"postgres(?:ql)?://(?P<auth>[^/]*)/(?P<name>[^?]+)", DATABASE_URL)
    if not match:
        sys.exit(f"BENCH_DATABASE_URL must be a PostgreSQL URL: {DATABASE_URL}")
    admin = psycopg2.connect(DATABASE_URL.replace(f"/{match['name']}", "/postgres", 1))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [match["name"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(match["name"])))
    admin.close()


def manage(*args: str) -> None:
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def prepare() -> dict[str, Any]:
    ensure_tools()
    ensure_database()
    VAR.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("BENCH_REUSE"):  # development: BENCH_REUSE=1 keeps the database and static files
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("seed_demo", "--scale", os.environ.get("BENCH_SCALE", "small"), "--no-progress")
        manage("collectstatic", "--noinput", "--verbosity", "0")
    output = subprocess.run(
        [BIN / "python", "-m", "bench.server.fixtures"],
        cwd=ROOT,
        env=server_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


# --- The server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    port: int
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = server_env()
        for url in {REDIS_URL, STATS_REDIS_URL} - {""}:
            redis.Redis.from_url(url).flushdb()
        logs = VAR / "logs"
        logs.mkdir(exist_ok=True)
        self.processes.append(
            subprocess.Popen(
                [BIN / "celery", "-A", "smartedu", "worker", "--beat", "--pool", "solo",
                 "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "--schedule", str(VAR / "celerybeat-schedule")],
                cwd=ROOT, env=env, stdout=(logs / "celery.log").open("w"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        self.processes.append(
            subprocess.Popen(
                [BIN / "gunicorn", "smartedu.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(WORKERS), "--backlog", "2048", "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=(logs / "gunicorn.log").open("w"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /healthz; see var/bench-http/logs/gunicorn.log")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def warm(server: Server, path: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(server.base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


# --- wrk ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    weight: int = 1
    fresh_visitor: bool = False  # a new User-Agent per request: every beacon is a new visitor's view


def _lua_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON string escapes are valid Lua escapes for ASCII


LUA_TEMPLATE = """
local reqs = {%(reqs)s}
local cumulative, total = {}, 0
for i, r in ipairs(reqs) do total = total + r.weight; cumulative[i] = total end
local counter, thread_id = 0, 0
local threads = {}
setup = function(thread) thread:set("thread_id", #threads + 1); table.insert(threads, thread) end
init = function(args) math.randomseed(os.time() * 1000 + thread_id) end
local function choose()
  if #reqs == 1 then return reqs[1] end
  local x = math.random() * total
  for i = 1, #reqs do if x <= cumulative[i] then return reqs[i] end end
  return reqs[#reqs]
end
request = function()
  local r = choose()
  local headers = r.headers
  if r.fresh then
    counter = counter + 1
    headers = {}
    for k, v in pairs(r.headers) do headers[k] = v end
    headers["User-Agent"] = "Mozilla/5.0 (bench " .. thread_id .. "-" .. counter .. ")"
  end
  return wrk.format(r.method, r.path, headers, r.body ~= "" and r.body or nil)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p90_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def lua_script(requests: list[Req]) -> str:
    entries = []
    for r in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
        entries.append(
            f"{{method = {_lua_string(r.method)}, path = {_lua_string(r.path)}, headers = {{{headers}}}, "
            f"body = {_lua_string(r.body)}, weight = {r.weight}, fresh = {str(r.fresh_visitor).lower()}}}"
        )
    return LUA_TEMPLATE % {"reqs": ",\n  ".join(entries)}


@dataclass
class Figure:
    name: str
    label: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    requests: int


def run_wrk(server: Server, name: str, label: str, requests: list[Req], seconds: int) -> Figure:
    script = VAR / "wrk" / f"{name}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(lua_script(requests))
    command = [
        "wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{seconds}s",
        "--timeout", "5s", "--script", str(script), server.base,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    figure = Figure(
        name=name,
        label=label,
        rps=round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        max_ms=round(raw["max_us"] / 1000, 2),
        errors=errors,
        requests=raw["requests"],
    )
    print(f"{name:<28} {figure.rps:>9.1f} req/s  p95 {figure.p95_ms:>7.2f} ms  errors {errors}", flush=True)
    return figure


# --- The figures ------------------------------------------------------------------------------------------


def figure_requests(fixtures: dict[str, Any], base: str) -> dict[str, tuple[str, list[Req]]]:
    """name → (label, the requests of its load)."""
    lesson_ids = fixtures["lesson_ids"][:50] or [0]
    beacon_headers = {"Content-Type": "text/plain;charset=UTF-8", "Origin": base, "Referer": base + "/k12/"}
    beacons = [
        Req(
            "/api/v1/stats/views/",
            method="POST",
            headers=beacon_headers,
            body=json.dumps({"items": [{"kind": "k12.lesson", "id": lesson_id}]}),
            fresh_visitor=True,
        )
        for lesson_id in lesson_ids
    ]
    hitcount = Req(
        "/bench/hitcount/",
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Requested-With": "XMLHttpRequest",
            "X-CSRFToken": CSRF,
            "Cookie": f"csrftoken={CSRF}",
        },
        body=f"hitcountPK={fixtures['hitcount_pk']}",
    )
    signed_in = {"Cookie": f"sessionid={fixtures['session']}"}
    # A session cookie that names no session: the page is rendered for an anonymous visitor, past the cache.
    uncached = {"Cookie": "sessionid=bench-no-such-session"}
    figures: dict[str, tuple[str, list[Req]]] = {
        "hello": ('baseline: bare Django view returning "hello"', [Req("/bench/hello")]),
        "healthz": ("`/healthz`", [Req("/healthz")]),
        "beacon": ("view beacon, one item, a new visitor each request", beacons),
        "hitcount": ("baseline: django-hitcount counting a hit (new session each request)", [hitcount]),
    }
    for key, path in fixtures["pages"].items():
        figures[f"page_{key}_cached"] = (f"`{path}` anonymous (page cache)", [Req(path)])
        figures[f"page_{key}_uncached"] = (f"`{path}` anonymous, uncached", [Req(path, headers=uncached)])
        figures[f"page_{key}_signed_in"] = (f"`{path}` signed in (student)", [Req(path, headers=signed_in)])
    search = "/search/?q=%E6%95%B0%E5%AD%A6"
    figures["search_cached"] = ("`/search/?q=数学` anonymous (page cache, still counted)", [Req(search)])
    figures["search_uncached"] = ("`/search/?q=数学` anonymous, uncached", [Req(search, headers=uncached)])
    admin = {"Cookie": f"sessionid={fixtures['admin_session']}"}
    for name, path in (
        ("dashboard", "/dashboard/"),
        ("dashboard_provinces", "/dashboard/provinces/"),
        ("dashboard_hot", "/dashboard/hot/"),
        ("stats_summary", "/api/v1/stats/summary/"),
        ("stats_timeseries", "/api/v1/stats/timeseries/"),
        ("stats_top", "/api/v1/stats/top/"),
    ):
        figures[name] = (f"`{path}` (ministry administrator)", [Req(path, headers=admin)])
    return figures


def mixed_requests(fixtures: dict[str, Any], figures: dict[str, tuple[str, list[Req]]]) -> list[Req]:
    """G6: 70 % anonymous page views each with its beacon, 20 % searches, 10 % signed-in requests."""
    pages = [path for key, path in fixtures["pages"].items()]
    beacons = figures["beacon"][1]
    queries = ["数学", "物理", "语文", "英语", "计算机", "护理", "机械", "python", "历史", "化学"]
    signed_in = {"Cookie": f"sessionid={fixtures['session']}"}
    mix: list[Req] = []
    # 70 %: a page view and its beacon are two requests, so 35 weight each.
    for path in pages:
        mix.append(Req(path, weight=3500 // len(pages)))
    for beacon in beacons:
        mix.append(Req(beacon.path, beacon.method, beacon.headers, beacon.body, 3500 // len(beacons), True))
    for query in queries:
        mix.append(Req("/search/?q=" + urllib.request.quote(query), weight=2000 // len(queries)))
    for path in [*pages, "/k12/me/"]:
        mix.append(Req(path, headers=signed_in, weight=1000 // (len(pages) + 1)))
    return mix


@dataclass(frozen=True)
class Goal:
    label: str
    figure: str
    baseline: str
    # "ratio": rps ≥ target × baseline rps; "latency": p95 ≤ target × baseline p95; "p95": p95 ≤ target ms
    kind: str
    target: float


def goals(figures: dict[str, Figure]) -> list[Goal]:
    found = [
        Goal("G2: beacon ≥ 0.8× hello", "beacon", "hello", "ratio", 0.8),
        Goal("G2: beacon ≥ 10× django-hitcount", "beacon", "hitcount", "ratio", 10),
    ]
    for name in figures:
        if name.endswith("_cached"):
            found.append(Goal(f"G1: {name} ≥ 0.5× hello", name, "hello", "ratio", 0.5))
        if name.endswith(("_uncached", "_signed_in")):
            found.append(Goal(f"G1: {name} ≥ 0.15× hello", name, "hello", "ratio", 0.15))
        if name.startswith(("page_", "search")):
            found.append(Goal(f"G1: {name} p95 ≤ 4× hello's", name, "hello", "latency", 4))
        if name.startswith(("dashboard", "stats_")):
            found.append(Goal(f"G5: {name} p95 ≤ 200 ms", name, "hello", "p95", 200))
    return [g for g in found if g.figure in figures and g.baseline in figures]


def assess(goal: Goal, figures: dict[str, Figure]) -> tuple[float, bool]:
    figure, baseline = figures[goal.figure], figures[goal.baseline]
    if goal.kind == "ratio":
        value = figure.rps / baseline.rps if baseline.rps else 0.0
        return round(value, 2), value >= goal.target
    if goal.kind == "p95":
        return figure.p95_ms, figure.p95_ms <= goal.target
    value = figure.p95_ms / baseline.p95_ms if baseline.p95_ms else float("inf")
    return round(value, 2), value <= goal.target


# --- Report -----------------------------------------------------------------------------------------------


def transport(url: str) -> str:
    """How a service is reached: a Unix socket or TCP (the URL's host, without credentials)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "unix" or not parts.hostname or parts.hostname.startswith("%2f"):
        return "over a Unix socket"
    return "over TCP loopback"


def write_report(
    figures: dict[str, Figure], mixed: Figure | None, started: datetime, notes: list[str]
) -> Path:
    day = started.date().isoformat()
    RESULTS.mkdir(parents=True, exist_ok=True)
    hello = figures.get("hello")
    load = os.getloadavg()
    lines = [
        f"# HTTP figures — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"gunicorn {WORKERS} sync workers, wrk 2 threads × {CONNECTIONS} connections × {SECONDS} s "
        "per figure, "
        f"loopback; PostgreSQL, Redis, Celery worker + beat running; {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), load average at the end {load[0]:.1f} "
        "(a machine shared with other work: compare ratios, not absolute figures).",
        f"Transports: PostgreSQL {transport(DATABASE_URL)}, Redis {transport(REDIS_URL)}"
        + (f", the view buffer's Redis {transport(STATS_REDIS_URL)}" if STATS_REDIS_URL else "")
        + ".",
        "",
        "| figure | req/s | × hello | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for figure in figures.values():
        ratio = f"{figure.rps / hello.rps:.2f}" if hello and hello.rps else "–"
        lines.append(
            f"| {figure.label} | {figure.rps:,.0f} | {ratio} | {figure.p50_ms} | {figure.p95_ms} | "
            f"{figure.p99_ms} | {figure.errors} |"
        )
    lines += ["", "## Goals", "", "| goal | measured | met |", "| --- | ---: | --- |"]
    for goal in goals(figures):
        value, met = assess(goal, figures)
        shown = {"ratio": f"{value}×", "latency": f"p95 {value}× hello's", "p95": f"p95 {value} ms"}[
            goal.kind
        ]
        verdict = "met" if met else f"**missed** (by {abs(goal.target - value) / goal.target:.0%})"
        lines.append(f"| {goal.label} | {shown} | {verdict} |")
    if mixed is not None:
        target_met = mixed.rps >= 2235 and mixed.p99_ms <= 100 and mixed.errors == 0
        lines += [
            "",
            f"## G6: mixed load, {MIXED_SECONDS} s",
            "",
            "70 % anonymous page views each with its beacon, 20 % searches, 10 % signed-in page views.",
            "",
            "| req/s | p50 ms | p95 ms | p99 ms | max ms | errors | target |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {mixed.rps:,.0f} | {mixed.p50_ms} | {mixed.p95_ms} | {mixed.p99_ms} | {mixed.max_ms} | "
            f"{mixed.errors} | ≥ 2,235 req/s, p99 ≤ 100 ms, 0 errors: "
            f"{'met' if target_met else '**missed** (' + f'{mixed.rps / 2235:.0%} of the rate)'} |",
        ]
    lines += ["", *notes] if notes else []
    name = f"http-{day}{os.environ.get('BENCH_SUFFIX', '')}"
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    (RESULTS / f"{name}.json").write_text(
        json.dumps(
            {
                "at": started.isoformat(),
                "workers": WORKERS,
                "connections": CONNECTIONS,
                "seconds": SECONDS,
                "figures": {name: f.__dict__ for name, f in figures.items()},
                "mixed": mixed.__dict__ if mixed else None,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return path


def main() -> int:
    started = datetime.now(tz=UTC)
    fixtures = prepare()
    server = Server(port=free_port())
    server.start()
    figures: dict[str, Figure] = {}
    mixed = None
    notes: list[str] = []
    try:
        planned = figure_requests(fixtures, server.base)
        for _label, requests in planned.values():
            for r in requests[:3]:
                if r.method == "GET":
                    status = warm(server, r.path, r.headers)
                    if status != 200:
                        notes.append(f"- warning: `{r.path}` answered {status} before the run")
        for name, (label, requests) in planned.items():
            if ONLY and name not in ONLY:
                continue
            figures[name] = run_wrk(server, name, label, requests, SECONDS)
        if not ONLY or "mixed" in ONLY:
            mixed = run_wrk(
                server, "mixed", "mixed load (G6)", mixed_requests(fixtures, planned), MIXED_SECONDS
            )
    finally:
        server.stop()
    path = write_report(figures, mixed, started, notes)
    print(f"written: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
