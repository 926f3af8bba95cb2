"""Every write of the agreements app: drafting, revising, signing, cancelling, notices.

Keyword-only, each in a transaction; they raise ``ValidationError({field: [...]})``, ``PermissionDenied``
or :class:`VersionConflict` (the signer read a version that is no longer current: the API answers 409).
Concurrency rests on the database: the agreement row is locked (``select_for_update``) while it changes,
and unique constraints make one signature per party and version, one open agreement per application and
at most one agreement in force per graduate.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment import access as employment_access
from employment.agreements import access
from employment.agreements.models import (
    OPEN_STATUSES,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Notice,
    NoticeKind,
    Signature,
    SignerRole,
)
from employment.models import Application, ApplicationStatus, GraduateProfile
from smartedu.accounts.models import User

logger = logging.getLogger(__name__)

MAX_SALARY = 1_000_000
MAX_TERM_MONTHS = 120
MAX_PROBATION_MONTHS = 6  # 劳动合同法 §19: at most six months
MAX_CLAUSES = 5000

STANDARD_CLAUSES = (
    "一、甲方（用人单位）同意录用乙方（毕业生），乙方愿意到甲方就业，丙方（学校）同意推荐。\n"
    "二、乙方报到后，甲方应在一个月内与乙方依法订立劳动合同，合同期限、试用期和工资不低于本协议约定。\n"
    "三、甲方依法为乙方缴纳社会保险和住房公积金。\n"
    "四、乙方应按期取得毕业证书和学位证书并按时报到；未取得的，甲方可解除本协议。\n"
    "五、本协议经三方签署后生效；一方要求解除的，须说明理由并经甲乙双方同意，学校备案。"
)


class VersionConflict(Exception):
    """The version the signer read is not the agreement's current version (HTTP 409)."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the agreement is now at version {current}")
        self.current = current


@dataclass(frozen=True)
class Terms:
    position: str
    place: str
    salary: int
    term_months: int
    probation_months: int
    clauses: str = STANDARD_CLAUSES


def _terms_errors(terms: Terms) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, limit in (("position", 100), ("place", 100)):
        value = getattr(terms, name).strip()
        if not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %d characters.") % limit]
    if not 1 <= terms.salary <= MAX_SALARY:
        errors["salary"] = [_("Enter a monthly salary between 1 and 1,000,000 yuan.")]
    if not 1 <= terms.term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = [_("Enter a term between 1 and 120 months.")]
    if not 0 <= terms.probation_months <= MAX_PROBATION_MONTHS:
        errors["probation_months"] = [_("Probation is at most six months.")]
    elif terms.probation_months >= terms.term_months and "term_months" not in errors:
        errors["probation_months"] = [_("Probation must be shorter than the term.")]
    if not terms.clauses.strip():
        errors["clauses"] = [_("This field is required.")]
    elif len(terms.clauses) > MAX_CLAUSES:
        errors["clauses"] = [_("At most %d characters.") % MAX_CLAUSES]
    return errors


def _clean(terms: Terms) -> Terms:
    errors = _terms_errors(terms)
    if errors:
        raise ValidationError(errors)
    return Terms(
        position=terms.position.strip(),
        place=terms.place.strip(),
        salary=terms.salary,
        term_months=terms.term_months,
        probation_months=terms.probation_months,
        clauses=terms.clauses.strip().replace("\r\n", "\n"),
    )


# --- The canonical content and its hash ---------------------------------------------------------------------


def canonical_content(agreement: Agreement, version: AgreementVersion) -> str:
    """The content a signature covers, as one canonical JSON text (sorted keys, no spaces, UTF-8).

    It names the parties and the version, carries every term and the previous version's hash, so each
    version's hash chains to the one before it.
    """
    content: dict[str, Any] = {
        "agreement": agreement.pk,
        "application": agreement.application_id,
        "graduate": agreement.graduate_id,
        "employer": agreement.employer_id,
        "university": agreement.university_id,
        "version": version.number,
        "position": version.position,
        "place": version.place,
        "salary": version.salary,
        "term_months": version.term_months,
        "probation_months": version.probation_months,
        "clauses": version.clauses,
        "previous_hash": version.previous_hash,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(agreement: Agreement, version: AgreementVersion) -> str:
    return hashlib.sha256(canonical_content(agreement, version).encode()).hexdigest()


def _new_version(
    *, agreement: Agreement, number: int, terms: Terms, actor: User, previous: str
) -> AgreementVersion:
    version = AgreementVersion(
        agreement=agreement, number=number, created_by=actor, previous_hash=previous, **asdict(terms)
    )
    version.content_hash = content_hash(agreement, version)
    version.save()
    return version


def _sign(
    *, agreement: Agreement, version: AgreementVersion, role: str, signer: User, client_ip: str | None
) -> Signature:
    return Signature.objects.create(
        agreement=agreement,
        version=version,
        role=role,
        signer=signer,
        client_ip=client_ip,
        content_hash=version.content_hash,
    )


# --- Drafting and revising ----------------------------------------------------------------------------------


def agreement_draft(
    *, actor: User, application: Application, terms: Terms, client_ip: str | None = None
) -> tuple[Agreement, bool]:
    """The employer drafts the agreement of a hired application and signs its first version.

    Returns ``(agreement, created)``; a second draft of the same application (a double click) returns the
    open one. The graduate must be verified (the agreement goes to their university) and must not already
    have an agreement in force.
    """
    employer = employment_access.verified_employer(actor)
    if employer is None or application.employer_id != employer.pk:
        raise PermissionDenied(_("Only the employer of a hired application drafts its agreement."))
    existing = Agreement.objects.filter(application=application, status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing, False
    if application.status != ApplicationStatus.HIRED:
        raise ValidationError({"application": [_("Only a hired application gets an agreement.")]})
    profile = GraduateProfile.objects.filter(user_id=application.graduate_id).first()
    if profile is None:
        raise ValidationError({"application": [_("The graduate is not verified.")]})
    if Agreement.objects.filter(
        graduate_id=application.graduate_id, status=AgreementStatus.IN_FORCE
    ).exists():
        raise ValidationError({"application": [_("This graduate already has an agreement in force.")]})
    terms = _clean(terms)
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                application=application,
                graduate_id=application.graduate_id,
                employer=employer,
                university_id=profile.university_id,
            )
            version = _new_version(agreement=agreement, number=1, terms=terms, actor=actor, previous="")
            _sign(
                agreement=agreement,
                version=version,
                role=SignerRole.EMPLOYER,
                signer=actor,
                client_ip=client_ip,
            )
    except IntegrityError:  # the concurrent twin of this request drafted it
        return Agreement.objects.get(application=application, status__in=OPEN_STATUSES), False
    logger.info("agreement %s drafted for application %s", agreement.pk, application.pk)
    return agreement, True


@transaction.atomic
def agreement_revise(
    *, actor: User, agreement_id: int, terms: Terms, read_version: int, client_ip: str | None = None
) -> Agreement:
    """The employer changes the terms: a new version chained to the last, and the signatures start over.

    Only before the agreement is in force (afterwards it is cancelled and drafted again). ``read_version``
    is the version the employer edited; another one is a :class:`VersionConflict`.
    """
    agreement, role = access.access_agreement_as_party(actor, agreement_id)
    if role != SignerRole.EMPLOYER:
        raise PermissionDenied(_("Only the employer changes the terms."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (AgreementStatus.AWAITING_GRADUATE, AgreementStatus.AWAITING_OFFICER):
        raise ValidationError({"status": [_("An agreement in force or cancelled cannot be changed.")]})
    if read_version != agreement.version:
        raise VersionConflict(agreement.version)
    terms = _clean(terms)
    last = agreement.versions.get(number=agreement.version)
    if asdict(terms) == {f: getattr(last, f) for f in asdict(terms)}:
        return agreement  # nothing changed: no new version
    number = agreement.version + 1
    version = _new_version(
        agreement=agreement, number=number, terms=terms, actor=actor, previous=last.content_hash
    )
    _sign(agreement=agreement, version=version, role=SignerRole.EMPLOYER, signer=actor, client_ip=client_ip)
    agreement.version = number
    agreement.status = AgreementStatus.AWAITING_GRADUATE
    agreement.save(update_fields=["version", "status"])
    logger.info("agreement %s revised to version %s", agreement.pk, number)
    return agreement


# --- Signing ------------------------------------------------------------------------------------------------


def agreement_sign(
    *, actor: User, agreement_id: int, read_version: int, client_ip: str | None = None
) -> tuple[Agreement, Signature, bool]:
    """The graduate signs, then an officer of the graduate's university confirms: then it is in force.

    ``read_version`` is the version the signer read; if the terms changed since, :class:`VersionConflict`.
    Signing twice (a double click, fifty concurrent requests) gives back the one signature:
    ``(agreement, signature, created)``.
    """
    agreement, role = access.access_agreement_as_party(actor, agreement_id)
    if role == SignerRole.EMPLOYER:
        raise PermissionDenied(
            _("The employer signs by drafting; the graduate and the university sign here.")
        )
    try:
        with transaction.atomic():
            return _sign_locked(
                actor=actor,
                agreement_id=agreement.pk,
                role=role,
                read_version=read_version,
                client_ip=client_ip,
            )
    except IntegrityError:
        # A concurrent twin signed first (unique per version and role), or, for the officer, another
        # agreement of this graduate came into force in between (one in force per graduate).
        agreement = Agreement.objects.get(pk=agreement.pk)
        existing = Signature.objects.filter(
            agreement=agreement, version__number=read_version, role=role
        ).first()
        if existing is not None:
            return agreement, existing, False
        raise ValidationError({"status": [_("This graduate already has an agreement in force.")]}) from None


def _sign_locked(
    *, actor: User, agreement_id: int, role: str, read_version: int, client_ip: str | None
) -> tuple[Agreement, Signature, bool]:
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    if read_version != agreement.version:
        raise VersionConflict(agreement.version)
    version = agreement.versions.get(number=agreement.version)
    existing = Signature.objects.filter(version=version, role=role).first()
    if existing is not None:
        return agreement, existing, False
    if agreement.status == AgreementStatus.CANCELLED:
        raise ValidationError({"status": [_("This agreement was cancelled.")]})
    if role == SignerRole.GRADUATE and agreement.status != AgreementStatus.AWAITING_GRADUATE:
        raise ValidationError({"status": [_("This agreement is not waiting for the graduate.")]})
    if role == SignerRole.OFFICER and agreement.status != AgreementStatus.AWAITING_OFFICER:
        raise ValidationError({"status": [_("The graduate has not signed this version yet.")]})
    signature = _sign(agreement=agreement, version=version, role=role, signer=actor, client_ip=client_ip)
    if role == SignerRole.GRADUATE:
        agreement.status = AgreementStatus.AWAITING_OFFICER
        agreement.save(update_fields=["status"])
    else:
        agreement.status = AgreementStatus.IN_FORCE
        agreement.in_force_at = timezone.now()
        with transaction.atomic():  # a savepoint: the one-in-force constraint may refuse it
            agreement.save(update_fields=["status", "in_force_at"])
    logger.info("agreement %s version %s signed as %s", agreement.pk, version.number, role)
    return agreement, signature, True


# --- Cancelling ---------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_cancel(*, actor: User, agreement_id: int, reason: str = "") -> Agreement:
    """The graduate or the employer asks to cancel (with a reason), the other consents: then it is cancelled
    and the university's officers get a notice. Asking twice changes nothing; the officer cannot cancel."""
    agreement, role = access.access_agreement_as_party(actor, agreement_id)
    if role == SignerRole.OFFICER:
        raise PermissionDenied(
            _("Cancelling needs the graduate and the employer; the university is notified.")
        )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == AgreementStatus.CANCELLED:
        return agreement
    reason = reason.strip()
    if agreement.cancel_requested_at is None:
        if not reason:
            raise ValidationError({"reason": [_("Give a reason for cancelling.")]})
        if len(reason) > 500:
            raise ValidationError({"reason": [_("At most %d characters.") % 500]})
        agreement.cancel_reason = reason
        agreement.cancel_requested_at = timezone.now()
    consent_field = "cancel_graduate_at" if role == SignerRole.GRADUATE else "cancel_employer_at"
    if getattr(agreement, consent_field) is None:
        setattr(agreement, consent_field, timezone.now())
    fields = ["cancel_reason", "cancel_requested_at", consent_field]
    if agreement.cancel_graduate_at and agreement.cancel_employer_at:
        agreement.status = AgreementStatus.CANCELLED
        agreement.cancelled_at = timezone.now()
        fields += ["status", "cancelled_at"]
        Notice.objects.get_or_create(
            agreement=agreement,
            kind=NoticeKind.CANCELLED,
            defaults={"university_id": agreement.university_id},
        )
        logger.info("agreement %s cancelled", agreement.pk)
    agreement.save(update_fields=fields)
    return agreement


def notices_mark_read(*, officer: User) -> int:
    """Mark the notices of the officer's university read; returns how many."""
    university_id = employment_access.officer_university_id(officer)
    if university_id is None:
        raise PermissionDenied
    return Notice.objects.filter(university_id=university_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Verification -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    agreement: int
    message: str


def agreement_problems(
    agreement: Agreement, versions: list[AgreementVersion], signatures: list[Signature]
) -> list[Problem]:
    """What is wrong with one agreement's chain: recomputed hashes, links, signatures, its status."""
    problems: list[Problem] = []
    previous = ""
    for expected_number, version in enumerate(versions, start=1):
        where = f"version {version.number}"
        if version.number != expected_number:
            problems.append(Problem(agreement.pk, f"{where}: versions are not numbered 1…n"))
        if version.previous_hash != previous:
            problems.append(Problem(agreement.pk, f"{where}: does not chain to the previous version"))
        if content_hash(agreement, version) != version.content_hash:
            problems.append(Problem(agreement.pk, f"{where}: content does not match its hash"))
        previous = version.content_hash
    by_id = {v.pk: v for v in versions}
    for signature in signatures:
        signed = by_id.get(signature.version_id)
        if signed is None or signature.content_hash != signed.content_hash:
            problems.append(Problem(agreement.pk, f"signature {signature.pk}: hash differs from its version"))
    if not versions or versions[-1].number != agreement.version:
        problems.append(Problem(agreement.pk, "the current version is not the last one"))
    if agreement.status == AgreementStatus.IN_FORCE and versions:
        roles = {s.role for s in signatures if s.version_id == versions[-1].pk}
        if roles != set(SignerRole.values):
            problems.append(Problem(agreement.pk, "in force without all three signatures on its version"))
    return problems
