"""``GET /api/v1/search/`` (federated results, paginated) and ``GET /api/v1/search/suggest/`` (typeahead).

InputSerializer → one selector → OutputSerializer. An unknown ``platform``, ``kind`` or facet value, or a
query over 100 characters, is a 400 naming the field; any other query is searched as text.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from smartedu.portal.client import client_ip
from smartedu.portal.throttling import ScopedRateThrottle
from smartedu.search import selectors, services
from smartedu.search.forms import validate_facets, validate_scope
from smartedu.search.text import MAX_QUERY_LENGTH


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, required=False, allow_blank=True, default="")
    platform = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="k12, vocational…"
    )
    kind = serializers.CharField(required=False, allow_blank=True, default="", help_text="k12.lesson…")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = validate_scope(attrs["platform"], attrs["kind"])
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        return attrs


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    platform = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField()
    title_highlights = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="[start, end) character offsets of the matches in the title",
    )
    snippet_highlights = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    facets = serializers.DictField(child=serializers.CharField(), source="facet_labels")
    popularity = serializers.IntegerField()


class SearchOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HitSerializer(many=True)
    platforms = serializers.DictField(child=serializers.IntegerField(), help_text="matches per sub-platform")
    kinds = serializers.DictField(child=serializers.IntegerField(), help_text="matches per kind")
    corrected_from = serializers.CharField(
        allow_null=True, help_text="the query as typed, if results are for a respelling"
    )
    relaxed = serializers.BooleanField(help_text="true if the results match only some of the terms")


class SuggestInputSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, required=False, allow_blank=True, default="")


class SuggestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    category = serializers.CharField(help_text="subject, edition, … or the kind of a title (k12.lesson)")
    url = serializers.CharField(allow_blank=True)


class SuggestOutputSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


def _page_url(request: Request, page: int | None) -> str | None:
    url = request.build_absolute_uri()
    if page is None:
        return None
    return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            SearchInputSerializer,
            OpenApiParameter(
                "stage", str, description="a facet filter of the sub-platform (stage, subject…)"
            ),
        ],
        responses=SearchOutputSerializer,
        summary="Search every sub-platform",
    )
    def get(self, request: Request) -> Response:
        data = SearchInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        platform, kind = params["platform"] or None, params["kind"] or None
        facets, errors = validate_facets(request.query_params, platform=platform, kind=kind)
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        results = selectors.search(
            query=params["q"], platform=platform, kind=kind, facets=facets, page=params["page"], groups=False
        )
        if results.page == 1 and not results.query.is_empty:
            services.search_record(
                query=params["q"], result_count=results.all_total, client=client_ip(request)
            )
        body = {
            "count": results.total,
            "next": _page_url(request, results.page + 1 if results.has_next else None),
            "previous": _page_url(request, results.page - 1 if results.has_previous else None),
            "results": results.items,
            "platforms": results.counts_by_platform,
            "kinds": results.counts_by_kind,
            "corrected_from": results.corrected_from,
            "relaxed": results.relaxed,
        }
        return Response(SearchOutputSerializer(body).data)


class SuggestView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search_suggest"

    @extend_schema(
        parameters=[SuggestInputSerializer], responses=SuggestOutputSerializer, summary="Typeahead"
    )
    def get(self, request: Request) -> Response:
        data = SuggestInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        suggestions = selectors.suggest(query=data.validated_data["q"])
        return Response(SuggestOutputSerializer({"results": suggestions}).data)
