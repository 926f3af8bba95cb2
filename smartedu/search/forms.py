"""The search page's GET form: the query, the tab (sub-platform), a kind, facet filters and the page.

The same rules as the API's input serializer: the query is at most 100 characters; a sub-platform, kind or
facet value that names nothing is an error on that field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartedu.search import registry, selectors
from smartedu.search.text import MAX_QUERY_LENGTH


def validate_scope(platform: str, kind: str) -> dict[str, str]:
    """Errors by field for an unknown sub-platform or kind, or a kind of another sub-platform."""
    errors: dict[str, str] = {}
    if platform and platform not in registry.platform_keys():
        errors["platform"] = str(_("Unknown sub-platform: %(value)s.") % {"value": platform})
    if kind:
        search_kind = registry.get_kind(kind)
        if search_kind is None:
            errors["kind"] = str(_("Unknown kind of content: %(value)s.") % {"value": kind})
        elif platform and search_kind.platform != platform:
            errors["kind"] = str(_("This kind of content belongs to another sub-platform."))
    return errors


def validate_facets(
    data: Any, *, platform: str | None, kind: str | None
) -> tuple[dict[str, str], dict[str, str]]:
    """The facet filters given in ``data`` for the scope, and errors by field for values that name nothing."""
    facets: dict[str, str] = {}
    errors: dict[str, str] = {}
    kinds = selectors.scope_kinds(platform=platform, kind=kind)
    for facet in selectors.facets_of(kinds) if (platform or kind) else []:
        value = (data.get(facet.key) or "").strip()
        if not value:
            continue
        if value not in dict(facet.choices()):
            errors[facet.key] = str(_("Unknown value: %(value)s.") % {"value": value[:50]})
        else:
            facets[facet.key] = value
    return facets, errors


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    platform = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    exact = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field, message in validate_scope(
            cleaned.get("platform") or "", cleaned.get("kind") or ""
        ).items():
            self.add_error(field, message)
        if not self.errors:
            platform = cleaned.get("platform") or None
            kind = cleaned.get("kind") or None
            if kind and not platform:
                search_kind = registry.get_kind(kind)
                cleaned["platform"] = platform = search_kind.platform if search_kind else None
            facets, errors = validate_facets(self.data, platform=platform, kind=kind)
            cleaned["facets"] = facets
            for field, message in errors.items():
                self.add_error(None, f"{field}: {message}")
        return cleaned
