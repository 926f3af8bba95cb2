"""Reads about fairs: lists by state and kind, one fair's participants with their jobs, figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from employment.fairs.models import Fair, FairApplication, FairJob, FairRegistration, RegistrationStatus
from employment.models import Application, Employer, Job
from smartedu.stats.registry import Location


def fair_list(*, state: str = "", kind: str = "", province: str = "") -> QuerySet[Fair]:
    fairs = Fair.objects.select_related("industry", "province")
    if state:
        fairs = fairs.in_state(state)
        if state == "upcoming":
            fairs = fairs.order_by("starts_at", "pk")
    if kind:
        fairs = fairs.filter(kind=kind)
    if province:
        fairs = fairs.filter(province__code=province)
    return fairs


def fair_detail(*, pk: int) -> Fair | None:
    return (
        Fair.objects.select_related("industry", "province")
        .prefetch_related("organisers")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Participant:
    employer: Employer
    jobs: list[Job]


def fair_participants(*, fair: Fair) -> list[Participant]:
    """The approved employers of a fair with the jobs they attached (still open ones), in two queries."""
    rows = (
        FairJob.objects.filter(fair=fair, registration__status=RegistrationStatus.APPROVED)
        .select_related("job__employer", "job__province", "job__industry")
        .order_by("registration__employer__name", "job__title", "pk")
    )
    by_employer: dict[int, list[Job]] = defaultdict(list)
    employers: dict[int, Employer] = {}
    for row in rows:
        job = row.job
        employers[job.employer_id] = job.employer
        by_employer[job.employer_id].append(job)
    return [Participant(employer=employers[pk], jobs=jobs) for pk, jobs in by_employer.items()]


def fair_registrations(*, registrations: QuerySet[FairRegistration]) -> QuerySet[FairRegistration]:
    return registrations.select_related("employer", "employer__province").prefetch_related("jobs__job")


def own_registration(*, fair: Fair, employer: Employer | None) -> FairRegistration | None:
    if employer is None:
        return None
    return FairRegistration.objects.filter(fair=fair, employer=employer).prefetch_related("jobs").first()


def applied_job_ids(*, graduate: Any, jobs: Sequence[Job]) -> dict[int, int]:
    """``{job id: application id}`` of the graduate's applications to these jobs (one query)."""
    rows = Application.objects.filter(graduate_id=graduate.pk, job__in=[j.pk for j in jobs])
    return dict(rows.values_list("job_id", "pk"))


def fair_of_applications(*, application_ids: Sequence[int]) -> dict[int, Fair]:
    rows = FairApplication.objects.filter(application_id__in=application_ids).select_related("fair")
    return {row.application_id: row.fair for row in rows}


def fair_locations(ids: Sequence[int]) -> dict[int, Location]:
    """A fair's section is its industry (sector fairs) and its column its province (regional fairs)."""
    rows = Fair.objects.filter(pk__in=ids).values_list("pk", "industry_id", "province_id")
    return {
        pk: Location(
            section_ref=f"employment.industry:{industry}" if industry else "",
            column_ref=f"accounts.province:{province}" if province else "",
        )
        for pk, industry, province in rows
    }


def fair_count() -> int:
    return Fair.objects.count()
