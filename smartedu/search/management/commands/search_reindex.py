"""``manage.py search_reindex [--kind k12.lesson]``: rebuild the search documents, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from smartedu.search import registry, services


class Command(BaseCommand):
    help = "Rebuild the search index (every registered kind, or one), then the typeahead names."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", help="one kind, e.g. k12.lesson (default: all)")
        parser.add_argument("--recommendations", action="store_true", help="also recompute recommendations")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(
        self, *args: Any, kind: str | None, recommendations: bool, no_progress: bool, **options: Any
    ) -> None:
        if kind and registry.get_kind(kind) is None:
            known = ", ".join(k.key for k in registry.kinds())
            raise CommandError(f"unknown kind {kind!r}; registered: {known}")

        def progress(iterable: Any, *, total: int | None = None, desc: str = "") -> Any:
            return tqdm(iterable, total=total, desc=desc, unit="batch", disable=no_progress, file=self.stderr)

        results = services.search_reindex(kind=kind, progress=progress)
        for key, result in results.items():
            self.stdout.write(f"{key}: {result.indexed} indexed, {result.removed} removed")
        if recommendations:
            stored = services.recommendations_compute_all(progress=progress)
            self.stdout.write(f"recommendations: {stored} stored")
