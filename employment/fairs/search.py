"""Fairs in search (kind ``employment.fair``): a fair is found until its window closes (the document's
expiry), with its kind as a facet."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from employment.fairs.models import Fair, FairKind
from smartedu.search.registry import Document, Facet, SearchKind, register_kind

KIND = Facet("fair_kind", _("Kind of fair"), lambda: [(v, str(label)) for v, label in FairKind.choices])


def fair_document(fair: Fair) -> Document:
    place = fair.province.name if fair.province else ""
    return Document(
        title=fair.title,
        body=" ".join(part for part in (fair.sector, place, fair.description[:2000]) if part),
        url=reverse("employment:fairs-detail", args=[fair.pk]),
        facets={"fair_kind": fair.kind},
        facet_labels={"fair_kind": str(fair.get_kind_display())},
        popularity=fair.view_count,
        expires_at=fair.ends_at,
    )


def register() -> None:
    register_kind(
        SearchKind(
            key="employment.fair",
            platform="employment",
            label=_("recruitment fair"),
            label_plural=_("recruitment fairs"),
            model="employment_fairs.Fair",
            queryset=lambda: Fair.objects.select_related("province"),
            document=fair_document,
            facets=(KIND,),
            order=5,
        )
    )
