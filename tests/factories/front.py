"""Employment-front test data, built through the services (``employment.front.services``)."""

from __future__ import annotations

from employment.front import services
from employment.front.models import Directive
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.services import affiliation_set
from tests.factories import UserFactory
from tests.factories import employment as f


def counsellor(
    home: str = "中山大学", *, specialty: str = "软件工程", year: int = 2022, approved: bool = True
) -> User:
    """An approved counsellor of ``home`` assigned (by an officer of ``home``) to a graduating class."""
    user = UserFactory(role=Role.COUNSELLOR, province=Province.objects.get(code="44"), approved=approved)
    affiliation_set(user=user, institution=f.university(home))
    services.counsellor_assign(
        actor=f.officer(home), counsellor=user, specialty=specialty, graduation_year=year
    )
    user.refresh_from_db()
    return user


def provincial_admin(code: str = "44") -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code=code))


def ministry_admin() -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True)


def directive(
    *, sender: User | None = None, urgent: bool = False, audience: str = "all", **kwargs: object
) -> Directive:
    """A directive sent and delivered (the Celery task's service run in-process)."""
    sent = services.directive_send(
        sender=sender or ministry_admin(),
        title="关于做好毕业生就业工作的通知",
        body="请各校抓紧落实。",
        audience=audience,
        urgent=urgent,
        **kwargs,  # type: ignore[arg-type]
    )
    services.directive_deliver(directive_id=sent.pk)
    sent.refresh_from_db()
    return sent
