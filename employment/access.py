"""Who may do what on the employment platform: one function per rule.

Views, the API, the admin and the navigation call these; none writes its own role test. An object that is
not yours (someone else's application, a résumé without consent, a job of another employer) answers like a
missing one: 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from employment.models import Application, Employer, EmployerStatus, GraduateProfile, Job, Resume
from smartedu.accounts.access import is_platform_admin, scope_filter
from smartedu.accounts.models import Role


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- Graduates ------------------------------------------------------------------------------------------


def is_graduate(user: Any) -> bool:
    """Graduates verify themselves, keep an intention and a résumé."""
    return _active(user) and user.role == Role.GRADUATE


def graduate_profile(user: Any) -> GraduateProfile | None:
    if not is_graduate(user):
        return None
    return GraduateProfile.objects.filter(user_id=user.pk).select_related("university").first()


def is_verified_graduate(user: Any) -> bool:
    """Only a graduate verified against the registry applies for jobs."""
    return is_graduate(user) and GraduateProfile.objects.filter(user_id=user.pk).exists()


# --- Employers ------------------------------------------------------------------------------------------


def is_employer_account(user: Any) -> bool:
    return _active(user) and user.role == Role.EMPLOYER


def employer_of(user: Any) -> Employer | None:
    """The organisation an employer account registered (any status), or None."""
    if not is_employer_account(user):
        return None
    return Employer.objects.filter(user_id=user.pk).select_related("industry", "province").first()


def verified_employer(user: Any) -> Employer | None:
    """The employer ``user`` acts for, if an administrator verified it (and the account is approved)."""
    employer = employer_of(user)
    if employer is None or employer.status != EmployerStatus.VERIFIED or not user.is_approved:
        return None
    return employer


def is_verified_employer(user: Any) -> bool:
    return verified_employer(user) is not None


def employer_registrable(user: Any) -> bool:
    """An employer account that has not registered its organisation yet."""
    return is_employer_account(user) and not Employer.objects.filter(user_id=user.pk).exists()


def access_own_job(user: Any, pk: int) -> Job:
    """A job of the verified employer ``user`` (any status); anyone else's is 404."""
    employer = verified_employer(user)
    job = Job.objects.filter(pk=pk, employer=employer).first() if employer else None
    if job is None:
        raise Http404
    return job


# --- Administrators -------------------------------------------------------------------------------------


def employers_reviewable(user: Any) -> bool:
    """Administrators (the ministry, a province's) review the employers of their scope."""
    return is_platform_admin(user)


def reviewable_employers(user: Any) -> QuerySet[Employer]:
    return scope_filter(user, Employer.objects.all(), province_field="province")


def access_employer_for_review(user: Any, pk: int) -> Employer:
    employer = reviewable_employers(user).filter(pk=pk).select_related("user", "province").first()
    if employer is None:
        raise Http404
    return employer


def jobs_reviewable(user: Any) -> bool:
    return is_platform_admin(user)


def access_job_for_review(user: Any, pk: int) -> Job:
    job = scope_filter(user, Job.objects.all(), province_field="employer__province").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def registry_importable(user: Any) -> bool:
    """Administrators import the registry; a provincial one only rows of its province's universities."""
    return is_platform_admin(user)


# --- Officers -------------------------------------------------------------------------------------------


def officer_university_id(user: Any) -> int | None:
    """The university an approved officer acts for (its affiliation), or None."""
    if not (_active(user) and user.role == Role.OFFICER and user.is_approved):
        return None
    affiliation = getattr(user, "affiliation", None)
    return affiliation.institution_id if affiliation is not None else None


def officer_openable(user: Any) -> bool:
    return officer_university_id(user) is not None


# --- Applications and résumés ---------------------------------------------------------------------------


def applications_for(user: Any) -> QuerySet[Application]:
    """A graduate's own applications; a verified employer's applications to its jobs; else none."""
    if is_graduate(user):
        return Application.objects.filter(graduate_id=user.pk)
    employer = verified_employer(user)
    if employer is not None:
        return Application.objects.filter(employer=employer)
    return Application.objects.none()


def access_application(user: Any, pk: int) -> Application:
    application = (
        applications_for(user).filter(pk=pk).select_related("job__employer", "graduate", "employer").first()
    )
    if application is None:
        raise Http404
    return application


def applied_to(*, graduate_id: int, employer: Employer) -> bool:
    return Application.objects.filter(graduate_id=graduate_id, employer=employer).exists()


def visible_resumes(user: Any) -> QuerySet[Resume]:
    """Résumés a verified employer may read: consenting ones, and those of graduates who applied to it."""
    employer = verified_employer(user)
    if employer is None:
        return Resume.objects.none()
    applicants = Application.objects.filter(employer=employer).values("graduate_id")
    return Resume.objects.filter(Q(consent_at__isnull=False) | Q(user_id__in=applicants))


def access_resume_for_employer(user: Any, graduate_id: int) -> Resume:
    resume = visible_resumes(user).filter(user_id=graduate_id).select_related("user").first()
    if resume is None:
        raise Http404
    return resume
