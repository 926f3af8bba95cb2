"""Who may do what in career guidance: one function per rule.

Guidance content is public. A graduate takes assessments; a result is private to its graduate, who may share
it with a counsellor or an officer of their own university (the sharing rule: ``share_recipient_allowed``);
the recipient then reads that result, nobody else does. A result one may not read answers like a missing
one: 404. Signed-in accounts register for live courses; graduates enrol in training courses. Quality
reports are uploaded by their university's officer or an administrator whose scope holds the university.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from employment import access as employment_access
from employment.guidance.models import Submission
from smartedu.accounts.access import scope_filter
from smartedu.accounts.models import Role, User
from smartedu.institutions.models import Institution


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def assessment_takable(user: Any) -> bool:
    """Graduates take assessments (verified or not: it is self-knowledge, not a registry matter)."""
    return employment_access.is_graduate(user)


def results_openable(user: Any) -> bool:
    """The "my results" page: graduates, and the officers and counsellors results are shared with."""
    return assessment_takable(user) or employment_access.officer_university_id(user) is not None


def readable_submissions(user: Any) -> QuerySet[Submission]:
    """One's own results, and the results shared with one."""
    if not _active(user):
        return Submission.objects.none()
    return Submission.objects.filter(Q(user_id=user.pk) | Q(shares__recipient_id=user.pk)).distinct()


def access_submission(user: Any, pk: int) -> Submission:
    submission = readable_submissions(user).filter(pk=pk).select_related("assessment").first()
    if submission is None:
        raise Http404
    return submission


def access_own_submission(user: Any, pk: int) -> Submission:
    if not _active(user):
        raise Http404
    submission = Submission.objects.filter(pk=pk, user_id=user.pk).select_related("assessment").first()
    if submission is None:
        raise Http404
    return submission


def share_recipients(graduate: Any) -> QuerySet[User]:
    """Who a graduate may share a result with, all approved and of the graduate's verified university: its
    employment officers, and the counsellors of the graduate's own graduating class (employment.front)."""
    profile = employment_access.graduate_profile(graduate)
    if profile is None:
        return User.objects.none()
    officers = Q(role=Role.OFFICER)
    own_counsellors = Q(
        role=Role.COUNSELLOR,
        counsellor_assignment__graduating_class__university_id=profile.university_id,
        counsellor_assignment__graduating_class__specialty=profile.specialty,
        counsellor_assignment__graduating_class__graduation_year=profile.graduation_year,
    )
    return User.objects.filter(
        officers | own_counsellors,
        is_active=True,
        approved_at__isnull=False,
        affiliation__institution_id=profile.university_id,
    ).order_by("first_name", "username")


def share_recipient_allowed(graduate: Any, recipient: Any) -> bool:
    recipient_id = getattr(recipient, "pk", None)
    if recipient_id is None:
        return False
    return share_recipients(graduate).filter(pk=recipient_id).exists()


def live_registrable(user: Any) -> bool:
    return _active(user)


def training_enrollable(user: Any) -> bool:
    return employment_access.is_graduate(user)


def reportable_universities(user: Any) -> QuerySet[Institution]:
    """The universities whose quality reports ``user`` uploads: an officer's own; an administrator's scope."""
    university = employment_access.officer_university_id(user)
    if university is not None:
        return Institution.objects.filter(pk=university)
    return scope_filter(user, Institution.objects.all(), province_field="province")


def reports_uploadable(user: Any) -> bool:
    return (
        employment_access.officer_university_id(user) is not None
        or scope_filter(user, Institution.objects.all(), province_field="province").exists()
    )
