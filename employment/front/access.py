"""Who may do what on the employment front: one function per rule.

Views, the API, the admin and the navigation call these. A counsellor sees one graduating class, an officer
their university, a provincial administrator their province and the ministry the nation. An object outside
one's scope answers like a missing one (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from employment.front.models import (
    AudienceKind,
    Directive,
    DirectiveDelivery,
    GraduatingClass,
    Survey,
    SurveyStatus,
)
from employment.models import GraduateProfile
from smartedu.accounts.access import is_ministry_admin, is_platform_admin
from smartedu.accounts.models import Province, Role
from smartedu.institutions.models import Institution

FRONT_LINE_ROLES = (Role.OFFICER, Role.COUNSELLOR)


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _approved_in(user: Any, role: str) -> bool:
    return _active(user) and user.role == role and user.is_approved


def _university_id(user: Any) -> int | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation.institution_id if affiliation is not None else None


# --- Front-line accounts ----------------------------------------------------------------------------------


def officer_university_id(user: Any) -> int | None:
    """The university an approved officer acts for, or None."""
    return _university_id(user) if _approved_in(user, Role.OFFICER) else None


def counsellor_class(user: Any) -> GraduatingClass | None:
    """The graduating class of an approved counsellor, when it is of the counsellor's own university."""
    if not _approved_in(user, Role.COUNSELLOR):
        return None
    university_id = _university_id(user)
    assignment = getattr(user, "counsellor_assignment", None)
    if university_id is None or assignment is None:
        return None
    graduating_class: GraduatingClass = assignment.graduating_class
    return graduating_class if graduating_class.university_id == university_id else None


def is_front_line(user: Any) -> bool:
    """Approved officers and counsellors with a university: they receive directives."""
    return (_approved_in(user, Role.OFFICER) or _approved_in(user, Role.COUNSELLOR)) and (
        _university_id(user) is not None
    )


# --- Scope of the progress dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose figures a viewer reads: a class, a university, a province or the nation."""

    level: str  # "class", "university", "province", "nation"
    province_id: int = 0  # 0: not narrowed by this key
    university_id: int = 0
    specialty: str = ""
    graduation_year: int = 0

    @property
    def lists_graduates(self) -> bool:
        """Officers and counsellors see their graduates by name; administrators figures only."""
        return self.level in ("class", "university")


def progress_scope(user: Any) -> Scope | None:
    """The scope of ``user``'s progress dashboard, or None when they have none."""
    graduating_class = counsellor_class(user)
    if graduating_class is not None:
        return Scope(
            "class",
            university_id=graduating_class.university_id,
            specialty=graduating_class.specialty,
            graduation_year=graduating_class.graduation_year,
        )
    university_id = officer_university_id(user)
    if university_id is not None:
        return Scope("university", university_id=university_id)
    if is_ministry_admin(user):
        return Scope("nation")
    if is_platform_admin(user):
        return Scope("province", province_id=int(user.scope_province_id))
    return None


def progress_openable(user: Any) -> bool:
    return progress_scope(user) is not None


def graduates_in_scope(user: Any) -> QuerySet[GraduateProfile]:
    """The verified graduates an officer (university) or counsellor (class) looks after; else none."""
    scope = progress_scope(user)
    if scope is None or not scope.lists_graduates:
        return GraduateProfile.objects.none()
    graduates = GraduateProfile.objects.filter(university_id=scope.university_id)
    if scope.level == "class":
        graduates = graduates.filter(specialty=scope.specialty, graduation_year=scope.graduation_year)
    return graduates


def support_settable(user: Any) -> bool:
    """Officers and counsellors mark their graduates as needing help (困难帮扶)."""
    scope = progress_scope(user)
    return scope is not None and scope.lists_graduates


def access_graduate_for_support(user: Any, pk: int) -> GraduateProfile:
    graduate = graduates_in_scope(user).filter(pk=pk).select_related("user").first()
    if graduate is None:
        raise Http404
    return graduate


def counsellors_assignable(user: Any) -> bool:
    """An officer assigns the counsellors of their university to its graduating classes."""
    return officer_university_id(user) is not None


# --- Directives ---------------------------------------------------------------------------------------------


def directives_sendable(user: Any) -> bool:
    """The ministry's and provinces' administrators send directives."""
    return is_platform_admin(user)


def audience_within_scope(
    user: Any, *, kind: str, province: Province | None, university: Institution | None
) -> bool:
    """May ``user`` address this audience? The ministry any; a provincial administrator its province's."""
    if not directives_sendable(user):
        return False
    scope = None if is_ministry_admin(user) else user.scope_province_id
    if kind == AudienceKind.ALL:
        return True  # narrowed to the sender's province when the recipients are chosen
    if kind == AudienceKind.PROVINCE:
        return province is not None and (scope is None or province.pk == scope)
    if kind == AudienceKind.UNIVERSITY:
        return university is not None and (scope is None or university.province_id == scope)
    return False


def sent_directives(user: Any) -> QuerySet[Directive]:
    """The directives ``user`` sent (only the sender reads the receipts)."""
    if not directives_sendable(user):
        return Directive.objects.none()
    return Directive.objects.filter(sender_id=user.pk)


def access_sent_directive(user: Any, pk: int) -> Directive:
    directive = sent_directives(user).filter(pk=pk).first()
    if directive is None:
        raise Http404
    return directive


def inbox_openable(user: Any) -> bool:
    return is_front_line(user)


def inbox_of(user: Any) -> QuerySet[DirectiveDelivery]:
    if not is_front_line(user):
        return DirectiveDelivery.objects.none()
    return DirectiveDelivery.objects.filter(recipient_id=user.pk)


def access_delivery(user: Any, directive_id: int) -> DirectiveDelivery:
    """One's own copy of a directive; a directive not delivered to ``user`` is 404."""
    delivery = inbox_of(user).filter(directive_id=directive_id).select_related("directive").first()
    if delivery is None:
        raise Http404
    return delivery


def attachment_readable(user: Any, directive: Directive) -> bool:
    """The sender and the recipients of a directive download its attachments."""
    if directive.sender_id == getattr(user, "pk", None) and directives_sendable(user):
        return True
    return inbox_of(user).filter(directive=directive).exists()


# --- Surveys ----------------------------------------------------------------------------------------------


def surveys_manageable(user: Any) -> bool:
    return is_platform_admin(user)


def surveys_openable(user: Any) -> bool:
    """The surveys page: administrators manage theirs, officers answer for their university."""
    return surveys_manageable(user) or surveys_answerable(user)


def manageable_surveys(user: Any) -> QuerySet[Survey]:
    """The ministry manages its surveys (nationwide) and reads every one; a province its province's."""
    if not is_platform_admin(user):
        return Survey.objects.none()
    if is_ministry_admin(user):
        return Survey.objects.all()
    return Survey.objects.filter(province_id=user.scope_province_id)


def access_survey_for_manage(user: Any, pk: int) -> Survey:
    survey = manageable_surveys(user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def surveys_answerable(user: Any) -> bool:
    """Officers answer surveys for their university."""
    return officer_university_id(user) is not None


def answerable_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys that reach the officer's university: nationwide ones and those of its province."""
    university_id = officer_university_id(user)
    if university_id is None:
        return Survey.objects.none()
    province_id = Institution.objects.filter(pk=university_id).values_list("province_id", flat=True).first()
    return Survey.objects.filter(Q(province__isnull=True) | Q(province_id=province_id))


def access_survey_for_answer(user: Any, pk: int) -> Survey:
    survey = answerable_surveys(user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def survey_editable(survey: Survey) -> bool:
    return survey.status == SurveyStatus.OPEN
