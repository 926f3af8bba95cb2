"""``manage.py seed_demo --scale small|seed``: demo accounts and content of every app, idempotently."""

import resource
import sys
import time
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from tqdm import tqdm

from smartedu.accounts.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from smartedu.portal import services
from smartedu.portal.registry import seeders

T = TypeVar("T")


class Command(BaseCommand):
    help = "Load demo data (idempotent). --scale seed reproduces the launch figures and may take minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "seed"], default="small")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")

    def handle(self, *args: Any, scale: str, no_progress: bool, **options: Any) -> None:
        def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]:
            return tqdm(
                iterable,
                total=total,
                desc=f"{desc:>14}",
                unit="item",
                file=sys.stderr,
                disable=no_progress,
                leave=True,
                dynamic_ncols=True,
            )

        for seeder in seeders():
            started = time.monotonic()
            seeder.run(scale=scale, progress=progress)
            # What each seeder took, and the process's peak memory so far (which seeder raises it).
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"seeded {seeder.key}: {time.monotonic() - started:.0f} s, peak memory {peak_mib:.0f} MiB"
            )
        services.headline_figures_refresh()
        # Fresh statistics for the planner: bulk loads leave it guessing until autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        self.stdout.write(self.style.SUCCESS(f"Demo data ready (scale: {scale}). Demo accounts:"))
        for username, role, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role.label!s:<20} password: {DEMO_PASSWORD}")
