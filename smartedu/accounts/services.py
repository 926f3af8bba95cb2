"""Every write to accounts goes through here (STYLE.md: services do writes)."""

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from smartedu.accounts.models import SELF_REGISTER_ROLES, Province, Role, User


def _check_unique(*, username: str, email: str, exclude_pk: int | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    users = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if username and users.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if email and users.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address already exists.")]
    return errors


def user_register(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    province: Province | None = None,
    institution: str = "",
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
    if role in (Role.EMPLOYER, Role.OFFICER) and not institution.strip():
        errors["institution"] = [_("Employers and employment officers must name their organisation.")]
    candidate = User(username=username, email=email, role=role, province=province, institution=institution)
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


def user_update_profile(
    *, user: User, email: str, province: Province | None, institution: str, first_name: str = ""
) -> User:
    email = User.objects.normalize_email(email.strip())
    errors = _check_unique(username="", email=email, exclude_pk=user.pk)
    if errors:
        raise ValidationError(errors)
    user.email = email
    user.province = province
    user.institution = institution.strip()
    user.first_name = first_name.strip()
    user.save(update_fields=["email", "province", "institution", "first_name"])
    return user


def admin_can_govern(*, admin: User, user: User) -> bool:
    """An administrator governs the users of their province; the ministry (no province) governs all."""
    if not admin.is_platform_admin or not admin.is_active:
        return False
    scope = admin.scope_province_id
    return scope is None or scope == user.province_id


@transaction.atomic
def user_approve(*, user: User, approved_by: User) -> User:
    """Approve an employer or officer account. Idempotent: approving twice keeps the first approval."""
    if not admin_can_govern(admin=approved_by, user=user):
        raise PermissionDenied(_("You may only approve accounts in your own province."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.approved_at is None:
        user.approved_at = timezone.now()
        user.approved_by = approved_by
        user.save(update_fields=["approved_at", "approved_by"])
    return user


def token_obtain(*, request: HttpRequest, username: str, password: str) -> Token:
    """Check the credentials (counted by the failed-login lockout) and return the user's API token."""
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        raise ValidationError(
            {"non_field_errors": [_("Unable to log in with the username and password given.")]}
        )
    if not user.is_active:
        raise ValidationError({"non_field_errors": [_("This account is disabled.")]})
    token, _created = Token.objects.get_or_create(user=user)
    return token
