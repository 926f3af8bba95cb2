"""Writes of institutions and affiliations."""

from django.db import transaction

from smartedu.accounts.models import User
from smartedu.institutions.models import Affiliation, Institution


@transaction.atomic
def affiliation_set(*, user: User, institution: Institution) -> Affiliation:
    """Make ``institution`` the one ``user`` acts for (replacing any other)."""
    affiliation, _created = Affiliation.objects.update_or_create(
        user=user, defaults={"institution": institution}
    )
    return affiliation
