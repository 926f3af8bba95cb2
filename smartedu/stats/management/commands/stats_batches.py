"""``manage.py stats_batches``: list the view batches set aside; ``--requeue ID`` or ``--all`` requeue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartedu.stats import services
from smartedu.stats.models import FailedBatch


class Command(BaseCommand):
    help = "List the view-count batches set aside after failed flushes, or put them back into the buffer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requeue", metavar="BATCH_ID", action="append", default=[])
        parser.add_argument("--all", action="store_true", help="requeue every batch set aside")

    def handle(self, *args: Any, **options: Any) -> None:
        aside = FailedBatch.objects.filter(set_aside_at__isnull=False).order_by("set_aside_at")
        requeue = list(aside.values_list("batch_id", flat=True)) if options["all"] else options["requeue"]
        if not requeue:
            for batch in aside:
                self.stdout.write(
                    f"{batch.batch_id}\t{batch.views} views\t{batch.attempts} failures\t"
                    f"{batch.set_aside_at:%Y-%m-%d %H:%M}\t{batch.last_error[:120]}"
                )
            self.stdout.write(f"{aside.count()} batches set aside.")
            return
        for batch_id in requeue:
            try:
                views = services.failed_batch_requeue(batch_id=batch_id)
            except FailedBatch.DoesNotExist as exc:
                raise CommandError(f"no batch {batch_id} is set aside") from exc
            self.stdout.write(f"{batch_id}: {views} views back in the buffer; the next flush applies them.")
