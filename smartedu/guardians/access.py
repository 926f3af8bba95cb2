"""Who may do what between parents and children: one function per rule.

* A parent (role ``parent``) links to a child with the code the child's account shows, then reads that
  child's learning records — through the pages each sub-platform registers (``registry.py``), which ask
  ``access_child_for_parent`` — and nothing else: no profile, no messages, no other child.
* A student under 14 (by ``User.birth_date``, in Asia/Shanghai) needs a linked guardian's consent before
  anything beyond the account and learning records is kept (PIPL art. 31). Apps ask
  ``personal_data_allowed`` before keeping such data; ``docs/k12.md`` lists what it blocks.

A child that is not the parent's and a missing account answer alike (404).
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from smartedu.accounts.models import Role, User
from smartedu.guardians.models import GuardianLink

CONSENT_AGE = 14


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_parent(user: object) -> bool:
    return _active(user) and getattr(user, "role", None) == Role.PARENT


def is_student(user: object) -> bool:
    return _active(user) and getattr(user, "role", None) == Role.STUDENT


def family_page_openable(user: object) -> bool:
    """``/family/``: a parent's children and the link form; a student's link code and guardians."""
    return is_parent(user) or is_student(user)


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def is_under_consent_age(user: object, *, today: date | None = None) -> bool:
    """A student whose date of birth says under 14. No date of birth: not known to be a minor (accounts
    made before dates of birth were asked for; the registration form asks for it)."""
    birth_date = getattr(user, "birth_date", None)
    if not is_student(user) or birth_date is None:
        return False
    return age_on(birth_date, today or timezone.localdate()) < CONSENT_AGE


def has_guardian_consent(user: object) -> bool:
    return GuardianLink.objects.consented().filter(child_id=getattr(user, "pk", None)).exists()


def needs_guardian_consent(user: object, *, today: date | None = None) -> bool:
    """A student under 14 with no linked guardian who has consented."""
    return is_under_consent_age(user, today=today) and not has_guardian_consent(user)


def personal_data_allowed(user: object) -> bool:
    """May an app keep data about ``user`` beyond the account and learning records (favourites, browsing
    history, …)? Not for a student under 14 until a linked guardian consents."""
    return _active(user) and not needs_guardian_consent(user)


def children_of(user: object) -> QuerySet[User]:
    """The children a parent is linked to (none for anyone else)."""
    if not is_parent(user):
        return User.objects.none()
    return User.objects.filter(guardian_links_as_child__parent_id=getattr(user, "pk", None), is_active=True)


def is_guardian_of(user: object, child_id: int) -> bool:
    return (
        is_parent(user)
        and GuardianLink.objects.filter(parent_id=getattr(user, "pk", None), child_id=child_id).exists()
    )


def access_child_for_parent(user: object, child_id: int) -> User:
    """The child, if ``user`` is a parent linked to it; ``Http404`` for anyone else and any other account."""
    child = children_of(user).filter(pk=child_id, role=Role.STUDENT).first()
    if child is None:
        raise Http404
    return child


def access_link_for_party(user: object, link_id: int) -> GuardianLink:
    """A link, for its parent or its child (either may end it); else 404."""
    link = GuardianLink.objects.select_related("parent", "child").filter(pk=link_id).first()
    if link is None or not _active(user) or getattr(user, "pk", None) not in (link.parent_id, link.child_id):
        raise Http404
    return link
