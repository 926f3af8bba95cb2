"""``manage.py search_check [--kind k12.lesson]``: report missing, extra and stale search documents.

Exits with status 1 when any document is missing, extra (its object is no longer visible, or it expired)
or stale (the object changed since it was indexed), or when the match table (``search_match``, what
searches read) is out of step with the documents, so it can run in monitoring or CI.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from smartedu.search import registry, services


class Command(BaseCommand):
    help = "Compare the search index with the content; exit status 1 if anything is missing or stale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", help="one kind, e.g. k12.lesson (default: all)")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, kind: str | None, no_progress: bool, **options: Any) -> None:
        if kind and registry.get_kind(kind) is None:
            raise CommandError(f"unknown kind {kind!r}")

        def progress(iterable: Any, *, total: int | None = None, desc: str = "") -> Any:
            return tqdm(iterable, total=total, desc=desc, unit="batch", disable=no_progress, file=self.stderr)

        reports = services.search_check(kind=kind, progress=progress)
        failing = False
        for report in reports:
            self.stdout.write(
                f"{report.kind}: {report.visible} visible, {report.indexed} indexed, "
                f"{len(report.missing)} missing, {len(report.extra)} extra, {len(report.stale)} stale; "
                f"match table: {len(report.match_missing)} missing, {len(report.match_extra)} extra, "
                f"{len(report.match_stale)} stale"
            )
            for label, ids in (
                ("missing", report.missing),
                ("extra", report.extra),
                ("stale", report.stale),
                ("match rows missing", report.match_missing),
                ("match rows extra", report.match_extra),
                ("match rows stale", report.match_stale),
            ):
                if ids:
                    shown = ", ".join(str(pk) for pk in ids[:20]) + (" …" if len(ids) > 20 else "")
                    self.stdout.write(f"  {label}: {shown}")
            failing = failing or not report.ok
        if failing:
            self.stderr.write("The search index is out of date: run `manage.py search_reindex`.")
            sys.exit(1)
        self.stdout.write("The search index is up to date.")
