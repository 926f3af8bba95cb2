"""Reads of the agreements app: plain querysets and data, with their joins decided here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from employment import access as employment_access
from employment.agreements import access
from employment.agreements.models import (
    OPEN_STATUSES,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Notice,
    Signature,
)
from employment.models import Application, GraduateProfile


def agreement_list(*, user: Any, status: str = "") -> QuerySet[Agreement]:
    agreements = access.agreements_for(user).select_related(
        "employer", "graduate", "university", "application__job"
    )
    if status:
        agreements = agreements.filter(status=status)
    return agreements.order_by("-created_at", "-pk")


def open_agreement_of(*, application: Application) -> Agreement | None:
    return Agreement.objects.filter(application=application, status__in=OPEN_STATUSES).first()


def awaiting_officer(*, user: Any) -> QuerySet[Agreement]:
    """The agreements of the officer's university that the graduate signed and that wait for confirmation."""
    university_id = employment_access.officer_university_id(user)
    if university_id is None:
        return Agreement.objects.none()
    return (
        Agreement.objects.filter(university_id=university_id, status=AgreementStatus.AWAITING_OFFICER)
        .select_related("employer", "graduate", "application__job")
        .order_by("created_at", "pk")
    )


def notices(*, user: Any) -> QuerySet[Notice]:
    university_id = employment_access.officer_university_id(user)
    if university_id is None:
        return Notice.objects.none()
    return Notice.objects.filter(university_id=university_id).select_related("agreement__employer")


@dataclass(frozen=True)
class AgreementView:
    agreement: Agreement
    current: AgreementVersion
    versions: list[AgreementVersion]
    signatures: list[Signature]
    graduate_name: str

    def current_signatures(self) -> list[Signature]:
        return [s for s in self.signatures if s.version_id == self.current.pk]


def agreement_view(*, agreement: Agreement) -> AgreementView:
    """An agreement with all its versions and its signature log (three queries)."""
    versions = list(agreement.versions.order_by("number"))
    signatures = list(
        Signature.objects.filter(agreement=agreement)
        .select_related("signer", "version")
        .order_by("signed_at", "pk")
    )
    profile = GraduateProfile.objects.filter(user_id=agreement.graduate_id).only("name").first()
    current = next(v for v in versions if v.number == agreement.version)
    return AgreementView(
        agreement=agreement,
        current=current,
        versions=versions,
        signatures=signatures,
        graduate_name=profile.name if profile else "",
    )


def graduates_in_force(graduates: QuerySet[GraduateProfile]) -> QuerySet[GraduateProfile]:
    """The outcome "agreement in force" for the employment front's roll-up (one query, not evaluated)."""
    return graduates.filter(
        user_id__in=Agreement.objects.filter(status=AgreementStatus.IN_FORCE).values("graduate_id")
    )
