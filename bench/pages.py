"""In-process cost of the G1 pages (issue 14): CPU milliseconds per request against a bare "hello" view.

Each page is requested through Django's test client, so the whole middleware stack runs, as it does behind
gunicorn; only the HTTP server and the socket are left out. Over HTTP hello is mostly that fixed cost, so a
page that costs about 6× hello's in-process time reaches the goal of 0.15× hello's requests per second.

Run it against a database with the demo data (embedded mode shown; any ``DATABASE_URL`` and ``REDIS_URL``)::

    export SMARTEDU_VAR_DIR=$PWD/var/pp
    env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py migrate
    env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py seed_demo --scale small
    env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py collectstatic --noinput
    env -u DATABASE_URL -u REDIS_URL .venv/bin/python bench/pages.py

``BENCH_PAGES_RUNS`` (60) requests per page after 5 warm-up ones; ``--profile <name>`` prints a cProfile of
one page instead (``k12_uncached``, ``higher_ed_signed_in``…). The anonymous "uncached" figures send a session
cookie that names no session, as the HTTP benchmark does, so the anonymous page cache is passed by.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from higher_ed.models import Course  # noqa: E402
from k12.models import Lesson, Resource  # noqa: E402
from smartedu.accounts.models import User  # noqa: E402

RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "60"))
WARM_UP = 5


def pages() -> dict[str, str]:
    lesson = Lesson.objects.visible().order_by("pk").first()
    resource = Resource.objects.visible().order_by("pk").first()
    course = Course.objects.visible().order_by("pk").first()
    if lesson is None or resource is None or course is None:
        raise SystemExit("seed the demo data first")
    return {
        "home": "/",
        "k12": "/k12/",
        "en_k12": "/en/k12/",
        "k12_lesson": reverse("k12:lesson", args=[lesson.pk]),
        "k12_resource": reverse("k12:resource", args=[resource.pk]),
        "higher_ed": "/higher-ed/",
        "higher_ed_course": reverse("higher_ed:course", args=[course.pk]),
        "vocational": "/vocational/",
        "employment": "/employment/",
        "search": "/search/?q=%E6%95%B0%E5%AD%A6",
    }


def clients() -> dict[str, Client]:
    anonymous = Client()
    anonymous.cookies["sessionid"] = "bench-no-such-session"
    student = Client()
    student.force_login(User.objects.get(username="student"))
    return {"uncached": anonymous, "signed_in": student}


def cpu_ms(client: Client, path: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.process_time()
        response = client.get(path)
        samples.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def measure() -> None:
    hello_client = Client()
    cpu_ms(hello_client, "/bench/hello", WARM_UP)
    hello = statistics.median(cpu_ms(hello_client, "/bench/hello", RUNS))
    print(f"hello: {hello:.2f} ms CPU per request (median of {RUNS})")
    print("| page | visitor | ms/request | × hello |")
    print("| --- | --- | ---: | ---: |")
    for name, path in pages().items():
        for visitor, client in clients().items():
            if name == "search" and visitor == "signed_in":
                continue
            cpu_ms(client, path, WARM_UP)
            ms = statistics.median(cpu_ms(client, path, RUNS))
            print(f"| `{path}` | {visitor} | {ms:.2f} | {ms / hello:.1f} |", flush=True)
    again = statistics.median(cpu_ms(hello_client, "/bench/hello", RUNS))
    print(f"hello again: {again:.2f} ms")


def profile(name: str) -> None:
    page, _sep, visitor = name.partition("_uncached") if "_uncached" in name else name.partition("_signed_in")
    visitor = "uncached" if "_uncached" in name else "signed_in"
    path = pages()[page]
    client = clients()[visitor]
    cpu_ms(client, path, WARM_UP)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    cpu_ms(client, path, 50)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(150)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    with override_settings(ROOT_URLCONF="bench.server.pages_urls", DEBUG=False):
        assert settings.ROOT_URLCONF == "bench.server.pages_urls"
        if len(sys.argv) > 2 and sys.argv[1] == "--profile":
            profile(sys.argv[2])
        else:
            measure()
