"""Demo data: the demo ``parent`` linked to the demo ``student`` (DESIGN.md), with consent given, through
the services (the student's code, then the parent's link)."""

from __future__ import annotations

from smartedu.accounts.models import User
from smartedu.guardians import services
from smartedu.guardians.models import GuardianLink
from smartedu.portal.registry import Progress


def seed_guardians(*, scale: str, progress: Progress) -> None:
    parent = User.objects.filter(username="parent").first()
    child = User.objects.filter(username="student").first()
    if parent is None or child is None:
        return
    for _step in progress([1], desc="guardians"):
        link = GuardianLink.objects.filter(parent=parent, child=child).first()
        if link is None:
            code, _expires = services.link_code_issue(child=child)
            link, _created = services.guardian_link(parent=parent, code=code)
        if link.consented_at is None:
            services.guardian_consent_set(parent=parent, child_id=child.pk, consent=True)
