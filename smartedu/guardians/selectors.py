"""Reads for the family page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from smartedu.accounts.models import User
from smartedu.guardians.models import GuardianLink, LinkCode


def links_of_parent(*, parent: User) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(parent=parent, child__is_active=True).select_related("child")


def links_of_child(*, child: User) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(child=child).select_related("parent")


def live_code_expiry(*, child: User) -> object:
    """When the child's current code expires, or None (the code itself is not kept)."""
    code = LinkCode.objects.filter(child=child, expires_at__gt=timezone.now()).first()
    return code.expires_at if code else None
