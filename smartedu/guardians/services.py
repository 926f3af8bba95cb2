"""Every write between parents and children (STYLE.md: services do writes).

Keyword-only functions in a transaction; ``ValidationError({field: [messages]})`` for bad input,
``PermissionDenied`` for a role that may not act. Rate limits on guessing are the caller's (views count
attempts with ``smartedu.classes.ratelimit`` on the real client address before calling ``guardian_link``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.accounts.models import User
from smartedu.classes.ratelimit import Limit
from smartedu.guardians import access, codes
from smartedu.guardians.models import GuardianLink, LinkCode

MAX_GUARDIANS = 4


def link_limit() -> Limit:
    """Failed link attempts allowed per parent and per client address in a window."""
    return Limit(
        scope="guardians-link",
        per_user=settings.GUARDIANS_LINK_FAILURES_PER_USER,
        per_address=settings.GUARDIANS_LINK_FAILURES_PER_ADDRESS,
        window=settings.GUARDIANS_LINK_WINDOW_SECONDS,
    )


@transaction.atomic
def link_code_issue(*, child: User, now: datetime | None = None) -> tuple[str, datetime]:
    """A fresh link code for ``child`` (a student) and when it expires. It replaces any earlier code, which
    stops working at once; the code itself is returned once and kept only as a digest."""
    if not access.is_student(child):
        raise PermissionDenied(_("Only students' accounts show a code for their parents."))
    now = now or timezone.now()
    expires_at = now + timedelta(seconds=settings.GUARDIANS_CODE_TTL_SECONDS)
    while True:
        code = codes.link_code_generate()
        digest = codes.link_code_digest(code)
        if not LinkCode.objects.filter(digest=digest).exclude(child=child).exists():
            break
    LinkCode.objects.update_or_create(child=child, defaults={"digest": digest, "expires_at": expires_at})
    return code, expires_at


@transaction.atomic
def link_code_withdraw(*, child: User) -> int:
    deleted, _per_model = LinkCode.objects.filter(child=child).delete()
    return deleted


@transaction.atomic
def guardian_link(*, parent: User, code: str, now: datetime | None = None) -> tuple[GuardianLink, bool]:
    """Link ``parent`` to the child whose account shows ``code``: ``(link, created)``.

    An unknown, malformed, expired or used code is ``ValidationError({"code": …})`` (the same message for
    each, so a guess learns nothing). The code is used up by the link; linking again with a new code to a
    child already linked returns the existing link. At most ``MAX_GUARDIANS`` parents per child.
    """
    if not access.is_parent(parent):
        raise PermissionDenied(_("Only parents' accounts link to a child."))
    now = now or timezone.now()
    normalised = codes.link_code_normalise(code)
    invalid = ValidationError(
        {"code": [_("This code is unknown or has expired. Ask your child for a new one.")]}
    )
    if not codes.link_code_is_well_formed(normalised):
        raise invalid
    found = (
        LinkCode.objects.select_for_update()
        .select_related("child")
        .filter(digest=codes.link_code_digest(normalised), expires_at__gt=now)
        .first()
    )
    if found is None or not access.is_student(found.child):
        raise invalid
    child = found.child
    existing = GuardianLink.objects.filter(parent=parent, child=child).first()
    if existing is not None:
        found.delete()
        return existing, False
    if GuardianLink.objects.filter(child=child).count() >= MAX_GUARDIANS:
        raise ValidationError(
            {"code": [_("This child already has %(n)d parents linked.") % {"n": MAX_GUARDIANS}]}
        )
    try:
        with transaction.atomic():
            link = GuardianLink.objects.create(parent=parent, child=child)
    except IntegrityError:  # the same parent, twice at once: the other request made the link
        return GuardianLink.objects.get(parent=parent, child=child), False
    found.delete()
    return link, True


@transaction.atomic
def guardian_consent_set(
    *, parent: User, child_id: int, consent: bool, now: datetime | None = None
) -> GuardianLink:
    """Give or withdraw the guardian's consent (PIPL) for a linked child. Idempotent: consenting again keeps
    the first time."""
    child = access.access_child_for_parent(parent, child_id)
    link = GuardianLink.objects.select_for_update().get(parent=parent, child=child)
    if consent and link.consented_at is None:
        link.consented_at = now or timezone.now()
        link.save(update_fields=["consented_at"])
    elif not consent and link.consented_at is not None:
        link.consented_at = None
        link.save(update_fields=["consented_at"])
    return link


@transaction.atomic
def guardian_unlink(*, user: User, link_id: int) -> None:
    """End a link: its parent or its child may (404 for anyone else)."""
    link = access.access_link_for_party(user, link_id)
    link.delete()
