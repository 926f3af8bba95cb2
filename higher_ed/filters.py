"""The catalogue's query parameters, validated in one place for the HTML pages and the API.

Facet values are named by stable codes (``?category=08&specialty_class=0809&platform=xuetangx``);
a value that names nothing is an error on that field (400 in the API, a message on the page), never a
silently empty list. The serializer also documents the parameters in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from higher_ed import rules, selectors
from higher_ed.catalogue import CatalogueIndex, catalogue_index
from higher_ed.models import Language, Platform, RunStatus
from smartedu.institutions.models import Institution

BOOLEAN_CHOICES = [("true", _("yes")), ("false", _("no"))]
ORDERING_CHOICES = [
    ("relevance", _("Relevance")),
    ("hot", _("Hot")),
    ("newest", _("Newest")),
    ("enrolled", _("Most enrolled")),
]
Q_MAX_LENGTH = 100


class CatalogueParamsSerializer(serializers.Serializer):
    """Query parameters of ``courses/`` and ``facets/`` (and of the catalogue page)."""

    category = serializers.CharField(
        required=False, max_length=2, help_text=_("Discipline category code, e.g. 08.")
    )
    specialty_class = serializers.CharField(
        required=False, max_length=4, help_text=_("Specialty class code, e.g. 0809.")
    )
    university = serializers.IntegerField(required=False, min_value=1, help_text=_("University id."))
    platform = serializers.CharField(required=False, max_length=30, help_text=_("Partner platform code."))
    language = serializers.ChoiceField(required=False, choices=Language.choices)
    first_class = serializers.ChoiceField(required=False, choices=BOOLEAN_CHOICES)
    credit = serializers.ChoiceField(required=False, choices=BOOLEAN_CHOICES)
    international = serializers.ChoiceField(required=False, choices=BOOLEAN_CHOICES)
    status = serializers.ChoiceField(required=False, choices=RunStatus.choices, help_text=_("Run status."))
    q = serializers.CharField(required=False, allow_blank=True, max_length=Q_MAX_LENGTH)
    ordering = serializers.ChoiceField(required=False, choices=ORDERING_CHOICES)

    def __init__(self, *args: Any, index: CatalogueIndex | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._index = index

    @property
    def index(self) -> CatalogueIndex:
        """The catalogue index of this request (its token read once), shared by validation and counts."""
        if self._index is None:
            self._index = catalogue_index()
        return self._index

    def validate_category(self, value: str) -> int:
        entry = selectors.taxonomy().categories.get(value)
        if entry is None:
            raise serializers.ValidationError(
                _("Unknown discipline category “%(value)s”.") % {"value": value}
            )
        return entry[0]

    def validate_specialty_class(self, value: str) -> int:
        entry = selectors.taxonomy().classes.get(value)
        if entry is None:
            raise serializers.ValidationError(_("Unknown specialty class “%(value)s”.") % {"value": value})
        return entry[0]

    def validate_university(self, value: int) -> int:
        if value not in self.index.university_names and not Institution.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Unknown university %(value)s.") % {"value": value})
        return value

    def validate_platform(self, value: str) -> int:
        for platform in self.index.platforms:
            if platform.code == value:
                return platform.pk
        raise serializers.ValidationError(_("Unknown platform “%(value)s”.") % {"value": value})

    def validate_q(self, value: str) -> str:
        return " ".join(value.split())

    def query(self) -> selectors.CatalogueQuery:
        data = self.validated_data
        flags = {
            name: None if data.get(name) is None else data[name] == "true"
            for name in selectors.BOOLEAN_FACETS
        }
        q = data.get("q", "")
        return selectors.CatalogueQuery(
            category=data.get("category"),
            specialty_class=data.get("specialty_class"),
            university=data.get("university"),
            platform=data.get("platform"),
            language=data.get("language"),
            status=data.get("status"),
            q=q,
            ordering=data.get("ordering") or ("relevance" if rules.fold(q) else "hot"),
            **flags,
        )


class SuggestParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=True, allow_blank=True, max_length=Q_MAX_LENGTH)


class MonitoringParamsSerializer(serializers.Serializer):
    """``?platform=&university=&term=`` of the monitoring centre (the page and the API)."""

    platform = serializers.SlugRelatedField(
        required=False, slug_field="code", queryset=Platform.objects.all(), help_text=_("Platform code.")
    )
    university = serializers.PrimaryKeyRelatedField(
        required=False, queryset=Institution.objects.all(), help_text=_("University id.")
    )
    term = serializers.CharField(required=False, max_length=12, help_text=_("Term, e.g. 2024-autumn."))

    def validate_term(self, value: str) -> str:
        if not rules.term_valid(value):
            raise serializers.ValidationError(_("Give a term like 2024-autumn or 2025-spring."))
        return value

    def filters(self) -> selectors.MonitoringFilter:
        data = self.validated_data
        return selectors.MonitoringFilter(
            platform=data.get("platform"), university=data.get("university"), term=data.get("term") or None
        )
