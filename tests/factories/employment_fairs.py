"""Fair test data, built through ``employment.fairs.services``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from employment.fairs import services
from employment.fairs.models import Fair, FairKind, FairRegistration
from employment.models import Industry, Job
from smartedu.accounts.models import Role, User
from tests.factories import UserFactory
from tests.factories import employment as f


def ministry() -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True)


def fair(
    *,
    actor: User | None = None,
    kind: str = FairKind.SECTOR,
    starts_in: timedelta = timedelta(days=-1),
    lasts: timedelta = timedelta(days=5),
    title: str = "信息通信与互联网行业专场招聘会",
    organisers: tuple[str, ...] = ("中山大学",),
    **extra: object,
) -> Fair:
    start = timezone.now() + starts_in
    return services.fair_create(
        actor=actor or ministry(),
        data=services.FairInput(
            title=title,
            kind=kind,
            sector="信息通信与互联网" if kind == FairKind.SECTOR else "",
            industry=Industry.objects.get(code="I"),
            starts_at=start,
            ends_at=start + lasts,
            organisers=[f.university(name) for name in organisers],
            **extra,  # type: ignore[arg-type]
        ),
    )


def approved_employer(
    target: Fair, *, jobs: int = 2, organiser: User | None = None
) -> tuple[User, list[Job]]:
    """A verified employer with ``jobs`` open jobs, registered for the fair and approved."""
    owner = f.employer()
    made = [f.job(owner, title=f"岗位{i}") for i in range(jobs)]
    registration, _ = services.fair_register(actor=owner, fair=target, jobs=made)
    services.registration_decide(
        actor=organiser or ministry(), registration=registration, decision="approved"
    )
    return owner, made


def registration(target: Fair, owner: User | None = None) -> FairRegistration:
    owner = owner or f.employer()
    reg, _ = services.fair_register(actor=owner, fair=target, jobs=[f.job(owner)])
    return reg
