"""Every write about fairs: creation, employers' registrations and their approval, applications from a fair
page, and the freeze of a closed fair's figures.

The figures (employers, jobs, applications) are counters moved by ``F()`` updates in the same transaction
as the row they count, so a fair page reads them from its own row; ``fairs_freeze_closed`` recounts them
from the rows once the window has closed and keeps them from then on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from employment import access as employment_access
from employment import services as employment_services
from employment.fairs import access
from employment.fairs.models import (
    Fair,
    FairApplication,
    FairJob,
    FairKind,
    FairRegistration,
    RegistrationStatus,
)
from employment.models import Application, Industry, Job
from smartedu.accounts.access import is_ministry_admin, is_platform_admin
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution

logger = logging.getLogger(__name__)

MAX_FAIR_DAYS = 92
MAX_JOBS_PER_REGISTRATION = 50


@dataclass(frozen=True)
class FairInput:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    sector: str = ""
    industry: Industry | None = None
    province: Province | None = None
    organisers: Sequence[Institution] = field(default_factory=tuple)


def _fair_errors(data: FairInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("This field is required.")]
    if data.kind not in FairKind.values:
        errors["kind"] = [_("Choose one of the kinds offered.")]
    if data.kind == FairKind.SECTOR and not data.sector.strip():
        errors["sector"] = [_("A sector fair names its sector.")]
    if data.kind == FairKind.REGIONAL and data.province is None:
        errors["province"] = [_("A regional fair names its province.")]
    if data.kind == FairKind.JOINT and len({u.pk for u in data.organisers}) < 2:
        errors["organisers"] = [_("A joint double-selection fair has at least two organising universities.")]
    if data.starts_at >= data.ends_at:
        errors["ends_at"] = [_("The fair must end after it starts.")]
    elif (data.ends_at - data.starts_at).days > MAX_FAIR_DAYS:
        errors["ends_at"] = [_("A fair lasts at most %d days.") % MAX_FAIR_DAYS]
    return errors


@transaction.atomic
def fair_create(*, actor: User, data: FairInput) -> Fair:
    """An organiser creates a fair: an administrator within its scope (a provincial administrator's fair is
    in its province; national fairs are the ministry's), or an officer for its own university (which is
    added to the organisers)."""
    if not access.fairs_creatable(actor):
        raise PermissionDenied(_("Only administrators and employment officers organise fairs."))
    organisers = list(data.organisers)
    province = data.province
    university = employment_access.officer_university_id(actor)
    if is_platform_admin(actor):
        if not is_ministry_admin(actor):
            if province is None:
                province = Province.objects.filter(pk=actor.scope_province_id or 0).first()
            elif province.pk != actor.scope_province_id:
                raise ValidationError({"province": [_("This province is not in your scope.")]})
    elif university is not None and university not in {u.pk for u in organisers}:
        organisers.append(Institution.objects.get(pk=university))
    errors = _fair_errors(replace(data, organisers=organisers, province=province))
    if errors:
        raise ValidationError(errors)
    fair = Fair.objects.create(
        title=data.title.strip(),
        kind=data.kind,
        sector=data.sector.strip(),
        industry=data.industry,
        province=province,
        description=data.description.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        created_by=actor,
    )
    fair.organisers.set(organisers)
    logger.info("fair %s created by %s", fair.pk, actor.pk)
    return fair


@transaction.atomic
def fair_window_set(*, actor: User, fair: Fair, starts_at: datetime, ends_at: datetime) -> Fair:
    """An organiser moves a fair's window (postponed, extended, or closed early). A fair whose figures are
    frozen keeps its window."""
    locked = Fair.objects.select_for_update().get(pk=fair.pk)
    if not access.fair_manageable(actor, locked):
        raise PermissionDenied(_("You do not organise this fair."))
    if locked.frozen_at is not None:
        raise ValidationError({"fair": [_("This fair is over.")]})
    if starts_at >= ends_at:
        raise ValidationError({"ends_at": [_("The fair must end after it starts.")]})
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.save(update_fields=["starts_at", "ends_at"])
    return locked


def _open_for_changes(fair: Fair, field_name: str = "fair") -> None:
    if fair.frozen_at is not None or fair.ends_at <= timezone.now():
        raise ValidationError({field_name: [_("This fair is over.")]})


def _job_count_delta(registration: FairRegistration) -> int:
    return FairJob.objects.filter(registration=registration).count()


@transaction.atomic
def fair_register(*, actor: User, fair: Fair, jobs: Sequence[Job]) -> tuple[FairRegistration, bool]:
    """A verified employer registers for a fair with some of its open jobs (at least one).

    Registering again (a double click, or more jobs later) gives back the same registration and attaches
    the jobs not attached yet; an approved registration's new jobs count at once.
    """
    employer = employment_access.verified_employer(actor)
    if employer is None:
        raise PermissionDenied(_("Only verified employers register for fairs."))
    _open_for_changes(Fair.objects.get(pk=fair.pk))
    if not jobs:
        raise ValidationError({"jobs": [_("Attach at least one of your open jobs.")]})
    if len(jobs) > MAX_JOBS_PER_REGISTRATION:
        raise ValidationError({"jobs": [_("At most %d jobs.") % MAX_JOBS_PER_REGISTRATION]})
    wanted = {job.pk for job in jobs}
    open_own = set(
        Job.objects.visible().filter(pk__in=wanted, employer=employer).values_list("pk", flat=True)
    )
    if wanted - open_own:
        raise ValidationError({"jobs": [_("Only your own open jobs can be attached.")]})
    try:
        with transaction.atomic():
            registration, created = FairRegistration.objects.get_or_create(fair=fair, employer=employer)
    except IntegrityError:  # the concurrent twin won
        registration, created = FairRegistration.objects.get(fair=fair, employer=employer), False
    registration = FairRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.REJECTED:
        raise ValidationError({"fair": [_("An organiser declined your registration for this fair.")]})
    already = set(FairJob.objects.filter(fair=fair, job_id__in=wanted).values_list("job_id", flat=True))
    new = sorted(wanted - already)
    FairJob.objects.bulk_create(
        [FairJob(fair=fair, registration=registration, job_id=pk) for pk in new], ignore_conflicts=True
    )
    if new and registration.status == RegistrationStatus.APPROVED:
        Fair.objects.filter(pk=fair.pk).update(job_count=F("job_count") + len(new))
    return registration, created


@transaction.atomic
def registration_decide(
    *, actor: User, registration: FairRegistration, decision: str, note: str = ""
) -> FairRegistration:
    """An organiser of the fair approves or declines a registration (a decline needs a reason).

    The same decision twice changes nothing; approving adds the employer and its jobs to the figures,
    declining an approved registration takes them off again.
    """
    locked = FairRegistration.objects.select_for_update().select_related("fair").get(pk=registration.pk)
    if not access.fair_manageable(actor, locked.fair):
        raise PermissionDenied(_("You do not organise this fair."))
    if decision not in (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED):
        raise ValidationError({"decision": [_("Choose approved or rejected.")]})
    if decision == RegistrationStatus.REJECTED and not note.strip():
        raise ValidationError({"note": [_("Say why the registration is declined.")]})
    _open_for_changes(locked.fair)
    if locked.status == decision:
        return locked
    jobs = _job_count_delta(locked)
    sign = 1 if decision == RegistrationStatus.APPROVED else -1
    if decision == RegistrationStatus.APPROVED or locked.status == RegistrationStatus.APPROVED:
        Fair.objects.filter(pk=locked.fair_id).update(
            employer_count=F("employer_count") + sign, job_count=F("job_count") + sign * jobs
        )
    locked.status = decision
    locked.note = note.strip()[:300]
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["status", "note", "decided_at", "decided_by"])
    logger.info("fair registration %s %s by %s", locked.pk, decision, actor.pk)
    return locked


def fair_job_open(*, fair: Fair, job_id: int) -> Job | None:
    """A job of the fair that a graduate can apply to: attached by an approved employer, and open."""
    attached = FairJob.objects.filter(
        fair=fair, job_id=job_id, registration__status=RegistrationStatus.APPROVED
    ).exists()
    if not attached:
        return None
    return Job.objects.visible().filter(pk=job_id).select_related("employer").first()


def fair_apply(*, graduate: User, fair: Fair, job: Job) -> tuple[Application, bool]:
    """Apply to a job from a running fair's page, through part 1's ``application_create``.

    The application carries the fair (a ``FairApplication`` row) and counts in the fair's figures once. A
    graduate who had already applied to the job gets that application back, linked to the fair only if it
    was made from it.
    """
    if not access.fair_applicable(graduate):
        raise PermissionDenied(_("Only graduates verified against the registry apply for jobs."))
    if not Fair.objects.running().filter(pk=fair.pk).exists():
        raise ValidationError({"fair": [_("This fair is not running.")]})
    if fair_job_open(fair=fair, job_id=job.pk) is None:
        raise ValidationError({"job": [_("This job is not open at this fair.")]})
    application, created = employment_services.application_create(graduate=graduate, job=job)
    if created:
        try:
            with transaction.atomic():
                FairApplication.objects.create(application=application, fair=fair)
                Fair.objects.filter(pk=fair.pk).update(application_count=F("application_count") + 1)
        except IntegrityError:  # already linked by a concurrent twin
            pass
    return application, created


def fairs_freeze_closed(*, now: datetime | None = None) -> int:
    """Freeze the figures of the fairs whose window has closed: recount employers, jobs and applications
    from the rows and keep the views of this moment. Idempotent: a frozen fair is never touched again."""
    now = now or timezone.now()
    frozen = 0
    for pk in Fair.objects.filter(frozen_at__isnull=True, ends_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            fair = Fair.objects.select_for_update().filter(pk=pk, frozen_at__isnull=True).first()
            if fair is None:
                continue
            approved = FairRegistration.objects.filter(fair=fair, status=RegistrationStatus.APPROVED)
            fair.employer_count = approved.count()
            fair.job_count = FairJob.objects.filter(
                fair=fair, registration__status=RegistrationStatus.APPROVED
            ).count()
            fair.application_count = FairApplication.objects.filter(fair=fair).count()
            fair.frozen_views = fair.view_count
            fair.frozen_at = now
            fair.save(
                update_fields=[
                    "employer_count",
                    "job_count",
                    "application_count",
                    "frozen_views",
                    "frozen_at",
                ]
            )
            frozen += 1
    if frozen:
        logger.info("froze the figures of %s closed fairs", frozen)
    return frozen
