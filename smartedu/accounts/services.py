"""Every write to accounts goes through here (STYLE.md: services do writes).

Changes to an account's authority or standing (scope, role, staff and superuser flags, approval,
lockout, API tokens) are written to ``AuditEntry`` in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from smartedu.accounts import access
from smartedu.accounts.models import (
    APPROVAL_ROLES,
    SELF_REGISTER_ROLES,
    AuditAction,
    AuditEntry,
    Province,
    Role,
    User,
)


def _check_unique(*, username: str, email: str, exclude_pk: int | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    users = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if username and users.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if email and users.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address already exists.")]
    return errors


def _organisation_errors(*, role: str, institution: str) -> dict[str, list[str]]:
    if role in APPROVAL_ROLES and not institution.strip():
        return {
            "institution": [_("Employers, employment officers and counsellors must name their organisation.")]
        }
    return {}


def audit_record(
    *,
    actor: User | None,
    subject: User,
    action: AuditAction,
    old: object = "",
    new: object = "",
    client_ip: str | None = None,
) -> AuditEntry:
    """Log one change to ``subject``'s authority or standing (called inside the change's transaction)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        subject=subject,
        subject_username=subject.username,
        action=action,
        old_value=("" if old is None else str(old))[:200],
        new_value=("" if new is None else str(new))[:200],
        client_ip=client_ip,
    )


def user_register(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    province: Province | None = None,
    institution: str = "",
    birth_date: date | None = None,
) -> User:
    """Create an account in a self-registrable role.

    Employer and officer accounts are created unapproved: they can sign in but not act until an
    administrator approves them (``user_approve``). Raises ``ValidationError`` with field messages.
    """
    username = username.strip()
    email = User.objects.normalize_email(email.strip())
    errors = _check_unique(username=username, email=email)
    if role not in SELF_REGISTER_ROLES:
        errors["role"] = [_("Choose one of the roles offered.")]
    errors.update(_organisation_errors(role=role, institution=institution))
    if birth_date is not None and birth_date > timezone.localdate():
        errors["birth_date"] = [_("A date of birth lies in the past.")]
    candidate = User(
        username=username,
        email=email,
        role=role,
        province=province,
        institution=institution,
        birth_date=birth_date,
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)

    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent registration took the name or address first
        raise ValidationError(
            _check_unique(username=username, email=email) or {"username": [str(exc)]}
        ) from exc
    return candidate


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str,
    province: Province | None = None,
    institution: str = "",
    first_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create an account in any role, with no administrative scope and no approval (seeds, tests, scripts).

    Unlike ``user_register`` nothing here is checked against self-registration rules: callers are trusted
    code. Scope and approval are conferred afterwards through ``user_scope_set`` and ``user_approve``, so
    they are logged like any other. ``password=None`` leaves the account without a usable password.
    """
    user = User(
        username=username.strip(),
        email=User.objects.normalize_email(email.strip()),
        role=role,
        province=province,
        institution=institution.strip(),
        first_name=first_name.strip(),
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.save()
    return user


def user_password_set(*, user: User, password: str) -> User:
    """Set a new password; Django then ends the user's other sessions and we revoke their API tokens."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _withdraw_approval_if_standing_changed(
    *, before: User, after: User, actor: User | None, client_ip: str | None
) -> None:
    """An approved employer or officer who moves province or organisation waits for approval again."""
    if not before.needs_approval or before.approved_at is None:
        return
    if before.province_id == after.province_id and before.institution == after.institution:
        return
    after.approved_at = None
    after.approved_by = None
    audit_record(
        actor=actor,
        subject=after,
        action=AuditAction.APPROVAL_WITHDRAWN,
        old=f"{before.province or '-'} / {before.institution}",
        new=f"{after.province or '-'} / {after.institution}",
        client_ip=client_ip,
    )


def _minor_profile_errors(
    *, user: User, province: Province | None, institution: str, first_name: str
) -> dict[str, list[str]]:
    """A student under 14 keeps no optional personal details (province, school, display name) until a
    linked guardian consents (PIPL; docs/k12.md, "Minors' data")."""
    from smartedu.guardians.access import personal_data_allowed

    if personal_data_allowed(user):
        return {}
    message = _("Kept once a parent linked to your account consents (you are under 14).")
    changed = {
        "province": (province.pk if province else None) != user.province_id and province is not None,
        "institution": institution != user.institution and bool(institution),
        "first_name": first_name.strip() != user.first_name and bool(first_name.strip()),
    }
    return {field: [message] for field, is_changed in changed.items() if is_changed}


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    email: str,
    province: Province | None,
    institution: str,
    first_name: str = "",
    client_ip: str | None = None,
) -> User:
    """The fields a user edits themselves. Never their role or administrative scope.

    An approved employer or officer who changes province or organisation goes back to the approval queue.
    """
    before = User.objects.select_for_update(of=("self",)).select_related("province").get(pk=user.pk)
    email = User.objects.normalize_email(email.strip())
    institution = institution.strip()
    errors = _check_unique(username="", email=email, exclude_pk=user.pk)
    errors.update(_organisation_errors(role=before.role, institution=institution))
    errors.update(
        _minor_profile_errors(user=before, province=province, institution=institution, first_name=first_name)
    )
    if errors:
        raise ValidationError(errors)
    user.email = email
    user.province = province
    user.institution = institution
    user.first_name = first_name.strip()
    _withdraw_approval_if_standing_changed(before=before, after=user, actor=user, client_ip=client_ip)
    user.save(update_fields=["email", "province", "institution", "first_name", "approved_at", "approved_by"])
    return user


_PRIVILEGED_FIELDS: dict[str, AuditAction] = {
    "role": AuditAction.ROLE_CHANGED,
    "admin_province": AuditAction.SCOPE_CHANGED,
    "is_staff": AuditAction.PRIVILEGE_CHANGED,
    "is_superuser": AuditAction.PRIVILEGE_CHANGED,
}


def _field_value(user: User, name: str) -> Any:
    return getattr(user, f"{name}_id") if name == "admin_province" else getattr(user, name)


def _shown(user: User, name: str) -> object:
    if name == "admin_province":
        return user.admin_province or ""
    return f"{name}={getattr(user, name)}" if name.startswith("is_") else getattr(user, name)


@transaction.atomic
def user_admin_save(*, actor: User, user: User, client_ip: str | None = None) -> User:
    """Save an account edited by an administrator (the Django admin), keeping the rules of the portal.

    A provincial administrator edits only the accounts they govern and never role, scope, staff or
    superuser status (``access.privileges_editable``); only the ministry creates accounts here. Every
    change of a privileged field is logged; an approved employer or officer moved to another province or
    organisation waits for approval again. Raises ``PermissionDenied``.
    """
    if user.pk is None:
        if not access.privileges_editable(actor):
            raise PermissionDenied(_("Only the ministry creates accounts here."))
        if user.role != Role.ADMIN:
            user.admin_province = None
        user.save()
        return user
    before = (
        User.objects.select_for_update(of=("self",))
        .select_related("province", "admin_province")
        .get(pk=user.pk)
    )
    if not access.account_governable(actor, before):
        raise PermissionDenied(_("This account is not in your scope."))
    if user.role != Role.ADMIN:
        user.admin_province = None  # only administrators have a scope
    changed = [name for name in _PRIVILEGED_FIELDS if _field_value(before, name) != _field_value(user, name)]
    if changed and not access.privileges_editable(actor):
        raise PermissionDenied(_("Only the ministry changes roles, scopes and staff status."))
    for name in changed:
        audit_record(
            actor=actor,
            subject=user,
            action=_PRIVILEGED_FIELDS[name],
            old=_shown(before, name),
            new=_shown(user, name),
            client_ip=client_ip,
        )
    _withdraw_approval_if_standing_changed(before=before, after=user, actor=actor, client_ip=client_ip)
    user.save()
    return user


@transaction.atomic
def user_scope_set(
    *, actor: User, user: User, admin_province: Province | None, client_ip: str | None = None
) -> User:
    """Make ``user`` an administrator of ``admin_province`` (None: the ministry). Ministry only; logged."""
    if not access.privileges_editable(actor):
        raise PermissionDenied(_("Only the ministry changes roles, scopes and staff status."))
    if user.role != Role.ADMIN:
        raise ValidationError({"admin_province": [_("Only administrators have an administrative scope.")]})
    locked = User.objects.select_for_update(of=("self",)).select_related("admin_province").get(pk=user.pk)
    if locked.admin_province_id != (admin_province.pk if admin_province else None):
        audit_record(
            actor=actor,
            subject=locked,
            action=AuditAction.SCOPE_CHANGED,
            old=locked.admin_province or "",
            new=admin_province or "",
            client_ip=client_ip,
        )
        locked.admin_province = admin_province
        locked.save(update_fields=["admin_province"])
    return locked


@transaction.atomic
def user_approve(*, user: User, approved_by: User, client_ip: str | None = None) -> User:
    """Approve an employer or officer account that is waiting for approval; logged.

    Raises ``PermissionDenied`` outside the administrator's scope, and ``ValidationError`` for an account
    that is not waiting (already approved, disabled, or in a role that needs no approval).
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not access.account_governable(approved_by, locked):
        raise PermissionDenied(_("You may only approve accounts in your own province."))
    if not locked.needs_approval or locked.approved_at is not None or not locked.is_active:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("%(username)s is not waiting for approval.") % {"username": locked.username}
                ]
            }
        )
    locked.approved_at = timezone.now()
    locked.approved_by = approved_by
    locked.save(update_fields=["approved_at", "approved_by"])
    audit_record(actor=approved_by, subject=locked, action=AuditAction.APPROVED, client_ip=client_ip)
    return locked


def token_obtain(*, request: HttpRequest, username: str, password: str) -> tuple[AuthToken, str]:
    """Check the credentials (counted by the failed-login lockout) and issue a new API token.

    Returns the stored token (only its hash is kept) and the key to hand to the client, once.
    It expires after ``API_TOKEN_TTL_DAYS`` days (``REST_KNOX["TOKEN_TTL"]``).
    """
    user = authenticate(request=request, username=username, password=password)
    if not isinstance(user, User):
        raise ValidationError(
            {"non_field_errors": [_("Unable to log in with the username and password given.")]}
        )
    if not user.is_active:
        raise ValidationError({"non_field_errors": [_("This account is disabled.")]})
    return AuthToken.objects.create(user=user)


def token_revoke(*, token: AuthToken) -> None:
    """Revoke one API token (the client signs out)."""
    token.delete()


def user_tokens_revoke(*, user: User) -> int:
    """Revoke every API token of ``user`` (on a password change); returns how many there were."""
    deleted, _details = AuthToken.objects.filter(user_id=user.pk).delete()
    return deleted


@transaction.atomic
def user_lockout_clear(*, actor: User, user: User, client_ip: str | None = None) -> int:
    """Lift every login lockout of ``user`` (all addresses); logged. Returns the failures forgotten."""
    if not access.account_governable(actor, user):
        raise PermissionDenied(_("This account is not in your scope."))
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    attempts.delete()
    audit_record(
        actor=actor, subject=user, action=AuditAction.UNLOCKED, old=failures, new=0, client_ip=client_ip
    )
    return failures
