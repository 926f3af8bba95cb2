"""``manage.py stats_rollups_rebuild``: recompute the monthly rollups from the daily rows.

The flush keeps them in step by itself; this is for rollups written before the monthly tables existed
(the migration runs it once) or written to the daily tables by hand. ``--month 2026-10`` limits it.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartedu.stats import services


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise CommandError(f"not a month (YYYY-MM): {value}") from exc


class Command(BaseCommand):
    help = "Recompute the monthly view rollups from the daily ones (all months, or those given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", action="append", default=[], metavar="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        months = [_month(value) for value in options["month"]] or None
        started = time.monotonic()
        rows = services.object_monthly_rebuild(months=months)
        self.stdout.write(f"{rows} monthly rows written in {time.monotonic() - started:.1f} s.")
