"""Demo agreements (small scale): one in force and one waiting for the officer of 中山大学.

The demo ``employer`` hires the demo ``graduate`` (林小红) through part 1's pipeline, drafts the agreement and
the graduate signs it: it waits for the demo ``officer``. Another verified graduate of 中山大学 has an
agreement with the demo employer that the officer confirmed: it is in force. Idempotent; everything goes
through the services.
"""

from __future__ import annotations

from employment import services as employment_services
from employment.agreements import services
from employment.agreements.models import OPEN_STATUSES, Agreement, AgreementStatus
from employment.models import Application, ApplicationStatus, GraduateProfile, Job
from smartedu.accounts.models import User
from smartedu.portal.registry import Progress, no_progress

SEED_ADDRESS = "127.0.0.1"
HIRE_PATH = [
    ApplicationStatus.VIEWED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
]


def _hire(employer: User, graduate: User) -> Application | None:
    """The graduate's application to one of the demo employer's jobs, moved along to hired."""
    application = (
        Application.objects.filter(graduate=graduate, employer__user=employer)
        .exclude(status__in=[ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN])
        .order_by("pk")
        .first()
    )
    if application is None:
        job = Job.objects.visible().filter(employer__user=employer).order_by("pk").first()
        if job is None:
            return None
        application, _created = employment_services.application_create(graduate=graduate, job=job)
    for step in (
        HIRE_PATH[HIRE_PATH.index(ApplicationStatus(application.status)) + 1 :]
        if application.status in HIRE_PATH
        else HIRE_PATH
    ):
        application = employment_services.application_status_set(
            actor=employer, application=application, status=step
        )
    return application


def _terms(application: Application) -> services.Terms:
    job = application.job
    return services.Terms(
        position=job.title,
        place=f"广东省{job.city}市" if job.city and not job.city.endswith("市") else job.city,
        salary=job.salary_min,
        term_months=36,
        probation_months=3,
    )


def seed_agreements(*, scale: str, progress: Progress = no_progress) -> None:
    employer = User.objects.filter(username="employer").first()
    graduate = User.objects.filter(username="graduate").first()
    officer = User.objects.filter(username="officer").first()
    if employer is None or graduate is None or officer is None:
        return
    demo_profile = GraduateProfile.objects.filter(user=graduate).first()
    if demo_profile is None:
        return
    steps = list(progress(["waiting", "in_force"], desc="agreements"))
    if (
        "waiting" in steps
        and not Agreement.objects.filter(graduate=graduate, status__in=OPEN_STATUSES).exists()
    ):
        application = _hire(employer, graduate)
        if application is not None:
            agreement, _created = services.agreement_draft(
                actor=employer, application=application, terms=_terms(application), client_ip=SEED_ADDRESS
            )
            services.agreement_sign(
                actor=graduate,
                agreement_id=agreement.pk,
                read_version=agreement.version,
                client_ip=SEED_ADDRESS,
            )
    other = (
        GraduateProfile.objects.filter(university_id=demo_profile.university_id, user__is_active=True)
        .exclude(user=graduate)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if other is None or Agreement.objects.filter(graduate=other.user, status__in=OPEN_STATUSES).exists():
        return
    application = _hire(employer, other.user)
    if application is None:
        return
    agreement, _created = services.agreement_draft(
        actor=employer, application=application, terms=_terms(application), client_ip=SEED_ADDRESS
    )
    if agreement.status == AgreementStatus.AWAITING_GRADUATE:
        agreement, _s, _c = services.agreement_sign(
            actor=other.user,
            agreement_id=agreement.pk,
            read_version=agreement.version,
            client_ip=SEED_ADDRESS,
        )
    services.agreement_sign(
        actor=officer, agreement_id=agreement.pk, read_version=agreement.version, client_ip=SEED_ADDRESS
    )
