"""Agreements test data, through ``employment.agreements.services``."""

from __future__ import annotations

from employment import services as employment_services
from employment.agreements import services
from employment.agreements.models import Agreement
from employment.models import Application, ApplicationStatus
from smartedu.accounts.models import User
from tests.factories import employment as f

HIRE = [
    ApplicationStatus.VIEWED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
]


def terms(**changes: object) -> services.Terms:
    values: dict[str, object] = {
        "position": "Java开发工程师",
        "place": "广东省深圳市",
        "salary": 12000,
        "term_months": 36,
        "probation_months": 3,
    }
    values.update(changes)
    return services.Terms(**values)  # type: ignore[arg-type]


def hired(*, graduate: User | None = None, employer: User | None = None) -> Application:
    employer = employer or f.employer()
    application = f.application(applicant=graduate or f.graduate(), target=f.job(employer))
    for status in HIRE:
        application = employment_services.application_status_set(
            actor=employer, application=application, status=status
        )
    return application


def agreement(
    *,
    graduate: User | None = None,
    employer: User | None = None,
    signed: bool = False,
    officer: User | None = None,
) -> Agreement:
    """A drafted agreement; ``signed``: the graduate signed; ``officer``: confirmed (in force)."""
    application = hired(graduate=graduate, employer=employer)
    employer_user = application.employer.user
    drafted, _ = services.agreement_draft(
        actor=employer_user, application=application, terms=terms(), client_ip="203.0.113.1"
    )
    if signed or officer is not None:
        services.agreement_sign(
            actor=application.graduate, agreement_id=drafted.pk, read_version=1, client_ip="203.0.113.2"
        )
    if officer is not None:
        services.agreement_sign(
            actor=officer, agreement_id=drafted.pk, read_version=1, client_ip="203.0.113.3"
        )
    drafted.refresh_from_db()
    return drafted
