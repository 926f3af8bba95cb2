"""``manage.py agreements_verify``: recompute every agreement's hash chain and check its signatures.

Exits non-zero and names each agreement and what is wrong if a row was changed behind the services' back
(an edited term, a broken link between versions, a signature whose hash differs from its version).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from employment.agreements.models import Agreement, AgreementVersion, Signature
from employment.agreements.services import Problem, agreement_problems

BATCH = 500


class Command(BaseCommand):
    help = "Verify the hash chains and signatures of the tripartite agreements."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[Problem] = []
        total = Agreement.objects.count()
        ids = Agreement.objects.order_by("pk").values_list("pk", flat=True)
        checked = 0
        with tqdm(total=total, desc="agreements", disable=options["verbosity"] < 1, file=self.stderr) as bar:
            batch: list[int] = []
            for pk in ids.iterator(chunk_size=BATCH):
                batch.append(pk)
                if len(batch) == BATCH:
                    problems += self._check(batch)
                    checked += len(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                problems += self._check(batch)
                checked += len(batch)
                bar.update(len(batch))
        for problem in problems:
            self.stderr.write(f"agreement {problem.agreement}: {problem.message}")
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in {len({p.agreement for p in problems})} agreement(s)"
            )
        self.stdout.write(f"{checked} agreement(s) verified, no tampering found")

    def _check(self, ids: list[int]) -> list[Problem]:
        versions: dict[int, list[AgreementVersion]] = defaultdict(list)
        for version in AgreementVersion.objects.filter(agreement_id__in=ids).order_by(
            "agreement_id", "number"
        ):
            versions[version.agreement_id].append(version)
        signatures: dict[int, list[Signature]] = defaultdict(list)
        for signature in Signature.objects.filter(agreement_id__in=ids).order_by("pk"):
            signatures[signature.agreement_id].append(signature)
        problems: list[Problem] = []
        for agreement in Agreement.objects.filter(pk__in=ids).order_by("pk"):
            problems += agreement_problems(agreement, versions[agreement.pk], signatures[agreement.pk])
        return problems
