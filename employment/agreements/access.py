"""Who may see, sign and cancel an agreement: one function per rule (views, API and navigation call these).

An agreement is seen by its three parties (the graduate, the employer, the officers of the graduate's
university) and by administrators within their scope. Someone else's agreement answers 404 — except that an
officer of another university who tries to confirm one is refused with 403, as the issue asks.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from employment import access as employment_access
from employment.agreements.models import Agreement, SignerRole
from smartedu.accounts.access import is_platform_admin, scope_filter


def agreements_for(user: Any) -> QuerySet[Agreement]:
    """The agreements ``user`` may read: own, their university's, or in scope."""
    if employment_access.is_graduate(user):
        return Agreement.objects.filter(graduate_id=user.pk)
    employer = employment_access.verified_employer(user)
    if employer is not None:
        return Agreement.objects.filter(employer=employer)
    university_id = employment_access.officer_university_id(user)
    if university_id is not None:
        return Agreement.objects.filter(university_id=university_id)
    if is_platform_admin(user):
        return scope_filter(user, Agreement.objects.all(), province_field="university__province")
    return Agreement.objects.none()


def agreements_openable(user: Any) -> bool:
    """The agreements page: graduates, employer accounts and officers (administrators use the API and the
    admin). Role tests only, so the header's link costs no query; an unverified employer's list is empty."""
    return (
        employment_access.is_graduate(user)
        or employment_access.is_employer_account(user)
        or employment_access.officer_openable(user)
    )


def agreements_listable(user: Any) -> bool:
    """``GET agreements/``: the three kinds of party and administrators."""
    return agreements_openable(user) or is_platform_admin(user)


def access_agreement(user: Any, pk: int) -> Agreement:
    agreement = (
        agreements_for(user)
        .filter(pk=pk)
        .select_related("employer", "graduate", "university", "application__job")
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def party_role(user: Any, agreement: Agreement) -> str | None:
    """As which party ``user`` acts on ``agreement`` (employer, graduate, officer), or None."""
    if employment_access.is_graduate(user) and agreement.graduate_id == user.pk:
        return SignerRole.GRADUATE
    employer = employment_access.verified_employer(user)
    if employer is not None and agreement.employer_id == employer.pk:
        return SignerRole.EMPLOYER
    if employment_access.officer_university_id(user) == agreement.university_id:
        return SignerRole.OFFICER
    return None


def access_agreement_as_party(user: Any, pk: int) -> tuple[Agreement, str]:
    """The agreement and the caller's role in it, for signing, cancelling and the PDF.

    An officer of another university gets 403 (they are an officer, just not this agreement's); anyone else
    who is not a party gets 404, like a missing agreement.
    """
    agreement = Agreement.objects.filter(pk=pk).select_related("employer", "graduate", "university").first()
    if agreement is None:
        raise Http404
    role = party_role(user, agreement)
    if role is None:
        if employment_access.officer_openable(user):
            raise PermissionDenied("This agreement belongs to another university.")
        raise Http404
    return agreement, role


def draftable(user: Any) -> bool:
    return employment_access.is_verified_employer(user)


def officer_confirms(user: Any) -> bool:
    """The officer's page of agreements waiting for confirmation."""
    return employment_access.officer_openable(user)
