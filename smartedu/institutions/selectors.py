from django.db.models import QuerySet

from smartedu.institutions.models import Institution


def institution_list(*, province_code: str | None = None, kind: str | None = None) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("province")
    if province_code:
        qs = qs.filter(province__code=province_code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("province__code", "name")


def institution_id_of(*, user: object) -> int | None:
    """The institution ``user`` acts for, or None (one query, or none when already loaded)."""
    affiliation = getattr(user, "affiliation", None) if getattr(user, "pk", None) else None
    return affiliation.institution_id if affiliation is not None else None
