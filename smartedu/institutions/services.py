"""Writes of institutions and affiliations."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Affiliation, Institution, InstitutionKind


@transaction.atomic
def affiliation_set(*, user: User, institution: Institution) -> Affiliation:
    """Make ``institution`` the one ``user`` acts for (replacing any other)."""
    affiliation, _created = Affiliation.objects.update_or_create(
        user=user, defaults={"institution": institution}
    )
    return affiliation


@transaction.atomic
def institution_get_or_create(
    *,
    name: str,
    province: Province,
    city: str = "",
    kind: str = InstitutionKind.UNIVERSITY,
    category: str = "",
) -> tuple[Institution, bool]:
    """The institution called ``name``, created with these details if there is none (names are unique)."""
    return Institution.objects.get_or_create(
        name=name.strip(),
        defaults={"province": province, "city": city, "kind": kind, "category": category},
    )


@dataclass(frozen=True)
class InstitutionSpec:
    name: str
    province_id: int
    city: str = ""
    kind: str = InstitutionKind.UNIVERSITY
    category: str = ""


def institutions_bulk_get_or_create(*, specs: Iterable[InstitutionSpec], batch_size: int = 1000) -> int:
    """Create the institutions of ``specs`` that do not exist yet (by name), in batches; returns how many.

    For demo data at scale (a sub-platform's seeder adds generic universities); existing rows are kept as
    they are, so that running it twice creates nothing the second time.
    """
    specs = list(specs)
    existing = set(
        Institution.objects.filter(name__in=[s.name for s in specs]).values_list("name", flat=True)
    )
    missing = [s for s in specs if s.name not in existing]
    rows = [
        Institution(name=s.name, province_id=s.province_id, city=s.city, kind=s.kind, category=s.category)
        for s in {s.name: s for s in reversed(missing)}.values()  # the first spec of a name wins
    ]
    with transaction.atomic():
        Institution.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    return len(rows)
