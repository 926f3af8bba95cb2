"""``manage.py front_rollup``: recompute the employment front's progress figures now (what beat does)."""

import sys
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from employment.front import services

T = TypeVar("T")


class Command(BaseCommand):
    help = "Roll the employment front's progress figures up now (the beat task does it every 10 minutes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, no_progress: bool, **options: Any) -> None:
        def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]:
            return tqdm(
                iterable, total=total, desc=desc, unit="measure", file=sys.stderr, disable=no_progress
            )

        run = services.progress_rollup(progress=progress)
        self.stdout.write(f"Rolled up {run.graduates} graduates into {run.rows} figures.")
