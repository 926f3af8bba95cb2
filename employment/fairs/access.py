"""Who may do what with fairs: one function per rule (views, the API and the navigation call these).

Fairs are public. Organisers are the administrators whose scope holds the fair's province (the ministry
for national fairs) and the officers of its organising universities. Verified employers register; verified
graduates apply. A fair an account may not manage answers like a missing one: 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from employment import access as employment_access
from employment.fairs.models import Fair, FairRegistration
from smartedu.accounts.access import is_ministry_admin, is_platform_admin


def fairs_creatable(user: Any) -> bool:
    """Administrators create fairs in their scope; an officer creates fairs its university organises."""
    return is_platform_admin(user) or employment_access.officer_university_id(user) is not None


def manageable_fairs(user: Any) -> QuerySet[Fair]:
    """The fairs ``user`` organises: an administrator's by province scope (national fairs: the ministry's
    only), an officer's those its university organises."""
    if is_platform_admin(user):
        if is_ministry_admin(user):
            return Fair.objects.all()
        return Fair.objects.filter(province_id=user.scope_province_id)
    university = employment_access.officer_university_id(user)
    if university is not None:
        return Fair.objects.filter(organisers=university)
    return Fair.objects.none()


def fair_manageable(user: Any, fair: Fair) -> bool:
    return manageable_fairs(user).filter(pk=fair.pk).exists()


def access_fair_for_manage(user: Any, pk: int) -> Fair:
    fair = manageable_fairs(user).filter(pk=pk).select_related("industry", "province").first()
    if fair is None:
        raise Http404
    return fair


def fair_registrable(user: Any) -> bool:
    """Verified employers register for fairs."""
    return employment_access.is_verified_employer(user)


def fair_applicable(user: Any) -> bool:
    """Verified graduates apply from a fair page (part 1's rule)."""
    return employment_access.is_verified_graduate(user)


def registrations_for(user: Any, fair: Fair) -> QuerySet[FairRegistration]:
    """All registrations of a fair for its organisers; its own for a verified employer; else none."""
    if fair_manageable(user, fair):
        return fair.registrations.all()
    employer = employment_access.verified_employer(user)
    if employer is not None:
        return fair.registrations.filter(employer=employer)
    return FairRegistration.objects.none()


def access_registration_for_decision(user: Any, fair: Fair, pk: int) -> FairRegistration:
    if not fair_manageable(user, fair):
        raise Http404
    registration = fair.registrations.filter(pk=pk).select_related("employer").first()
    if registration is None:
        raise Http404
    return registration
