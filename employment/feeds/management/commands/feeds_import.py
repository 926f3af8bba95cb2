"""``manage.py feeds_import <file> --source <slug> --by <admin>``: import a partner's feed here, with a
progress bar (the API queues the same service in Celery). ``--run <id>`` runs a queued import."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from employment.feeds import services
from smartedu.accounts.models import User

T = TypeVar("T")


class Command(BaseCommand):
    help = "Import a partner's job feed (JSON or CSV, docs/job-feed.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?")
        parser.add_argument("--source")
        parser.add_argument("--by")
        parser.add_argument("--partial", action="store_true", help="do not close jobs missing from the feed")
        parser.add_argument(
            "--run", type=int, help="run the queued import with this id (or resume one a dead worker left)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]:
            return tqdm(iterable, total=total, desc=desc, file=self.stderr, disable=options["verbosity"] < 1)

        import_id = options["run"]
        if import_id is None:
            if not (options["file"] and options["source"] and options["by"]):
                raise CommandError("give a file, --source and --by (or --run <id>)")
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError("no such administrator")
            path = Path(options["file"])
            fmt = "csv" if path.suffix.lower() == ".csv" else "json"
            feed = services.feed_import_start(
                actor=actor,
                source=options["source"],
                fmt=fmt,
                text=path.read_text(encoding="utf-8-sig"),
                full=not options["partial"],
                queue=False,  # this command runs it, with a progress bar
            )
            import_id = feed.pk
        feed = services.feed_import_run(
            import_id=import_id, progress=progress, resume=options["run"] is not None
        )
        self.stdout.write(
            f"import {feed.pk} {feed.status}: {feed.created} created, {feed.updated} updated, "
            f"{feed.unchanged} unchanged, {feed.closed} closed, {len(feed.errors)} bad row(s)"
        )
        for bad in feed.errors[:50]:
            self.stdout.write(f"  {bad.get('where')}: {bad.get('errors')}")
