"""Every write of classes, join codes and memberships (STYLE.md: services do writes).

Functions are keyword-only and run in a transaction; they raise ``ValidationError({field: [messages]})``
for bad input and ``PermissionDenied`` for a role that may not act. Ownership is checked here too (an
administrator acts like the owner), so the admin and every sub-platform get the same rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.accounts.models import User
from smartedu.classes import access
from smartedu.classes.codes import code_generate, code_is_well_formed, code_normalise
from smartedu.classes.models import Class, Membership
from smartedu.portal.registry import platforms

_CODE_TRIES = 8


def platform_keys() -> list[str]:
    """The sub-platforms a class may belong to: those registered with the portal."""
    return [p.key for p in platforms()]


def _clean_text(value: str, *, field: str, max_length: int, required: bool) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError(
            {field: [_("At most %(n)d characters.") % {"n": max_length}]},
        )
    if "\x00" in value:
        raise ValidationError({field: [_("Null characters are not allowed.")]})
    return value


def _save_with_fresh_code(klass: Class) -> None:
    """Save ``klass`` under a new random code, retrying on the (rare) collision with another class."""
    old = klass.code
    for _attempt in range(_CODE_TRIES):
        klass.code = code_generate()
        if klass.code == old:
            continue
        try:
            with transaction.atomic():
                klass.save()
            return
        except IntegrityError:
            if not Class.objects.filter(code=klass.code).exists():
                raise
    raise IntegrityError("no free class code after several tries")  # pragma: no cover


def _require_manager(user: User, klass: Class) -> None:
    if not access.may_manage(user, klass):
        raise PermissionDenied(_("Only the class's teacher may change it."))


@transaction.atomic
def class_create(
    *, teacher: User, name: str, platform: str, institution: str | None = None, label: str = ""
) -> Class:
    """A new active class with a fresh unique code. Only teachers create classes.

    ``institution`` defaults to the teacher's own institution.
    """
    if not access.is_teacher(teacher):
        raise PermissionDenied(_("Only teachers create classes."))
    if platform not in platform_keys():
        raise ValidationError(
            {
                "platform": [
                    _("Unknown sub-platform; one of: %(keys)s.") % {"keys": ", ".join(platform_keys())}
                ]
            }
        )
    klass = Class(
        teacher=teacher,
        platform=platform,
        name=_clean_text(name, field="name", max_length=100, required=True),
        label=_clean_text(label, field="label", max_length=100, required=False),
        institution=_clean_text(
            teacher.institution if institution is None else institution,
            field="institution",
            max_length=200,
            required=False,
        ),
    )
    _save_with_fresh_code(klass)
    return klass


@transaction.atomic
def class_update(
    *,
    user: User,
    klass: Class,
    name: str | None = None,
    label: str | None = None,
    institution: str | None = None,
) -> Class:
    """Rename a class or change its label or institution (its teacher or an administrator)."""
    _require_manager(user, klass)
    changed = []
    if name is not None:
        klass.name = _clean_text(name, field="name", max_length=100, required=True)
        changed.append("name")
    if label is not None:
        klass.label = _clean_text(label, field="label", max_length=100, required=False)
        changed.append("label")
    if institution is not None:
        klass.institution = _clean_text(institution, field="institution", max_length=200, required=False)
        changed.append("institution")
    if changed:
        klass.save(update_fields=[*changed, "updated_at"])
    return klass


@transaction.atomic
def class_archive(*, user: User, klass: Class) -> Class:
    """Archive a class: its code stops working and its students no longer see it. Idempotent."""
    _require_manager(user, klass)
    if klass.is_active:
        klass.is_active = False
        klass.archived_at = timezone.now()
        klass.save(update_fields=["is_active", "archived_at", "updated_at"])
    return klass


@transaction.atomic
def class_restore(*, user: User, klass: Class) -> Class:
    """Bring an archived class back; its code works again."""
    _require_manager(user, klass)
    if not klass.is_active:
        klass.is_active = True
        klass.archived_at = None
        klass.save(update_fields=["is_active", "archived_at", "updated_at"])
    return klass


@transaction.atomic
def class_code_regenerate(*, user: User, klass: Class) -> Class:
    """Give the class a new code; the old one stops working at once (for a code that leaked)."""
    _require_manager(user, klass)
    _save_with_fresh_code(klass)
    return klass


@transaction.atomic
def class_join(*, user: User, code: str, platform: str | None = None) -> tuple[Membership, bool]:
    """Join the active class whose code is ``code``; returns ``(membership, created)``.

    Students only (``PermissionDenied``). Joining twice keeps one membership (a unique constraint; a
    concurrent second join finds the first). An unknown, malformed or archived code — or, with
    ``platform``, a code of another sub-platform's class — is ``ValidationError({"code": ...})``.
    """
    if not access.is_student(user):
        raise PermissionDenied(_("Only students join classes."))
    normalised = code_normalise(code)
    klass = None
    if code_is_well_formed(normalised):
        klass = Class.objects.active().for_platform(platform).filter(code=normalised).first()
    if klass is None:
        raise ValidationError({"code": [_("No open class has this code. Check it with your teacher.")]})
    membership, created = Membership.objects.get_or_create(klass=klass, student=user)
    return membership, created


@transaction.atomic
def class_leave(*, user: User, klass: Class) -> bool:
    """Leave a class; ``False`` if the user was not in it."""
    deleted, _detail = Membership.objects.filter(klass=klass, student=user).delete()
    return deleted > 0


@transaction.atomic
def membership_remove(*, user: User, klass: Class, student_id: int) -> bool:
    """Remove a student from a class (its teacher or an administrator); ``False`` if not a member."""
    _require_manager(user, klass)
    deleted, _detail = Membership.objects.filter(klass=klass, student_id=student_id).delete()
    return deleted > 0
