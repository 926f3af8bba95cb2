"""``GET /api/v1/``: the API root, every endpoint of every sub-platform, read off the URL configuration.

Nothing here names an app: an app whose ``api_urls`` is included in ``smartedu/api_urls.py`` appears in the
listing as it is, grouped by the first segment of its path (``/api/v1/k12/...`` under ``k12``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.contrib.admindocs.views import simplify_regex
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

API_NAMESPACE = "api"
ROOT_NAME = "root"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _named_routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every named URL under ``patterns``, in the order they are matched."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _named_routes(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), route


def api_endpoints(urlconf: str | None = None) -> dict[str, dict[str, str]]:
    """Every endpoint of the API namespace as ``{group: {name: path}}``.

    A path with parameters is a template (``/api/v1/k12/lessons/{pk}/``); the group is the first segment
    after the API root.
    """
    root = reverse(f"{API_NAMESPACE}:{ROOT_NAME}", urlconf=urlconf)
    groups: dict[str, dict[str, str]] = {}
    for name, route in _named_routes(get_resolver(urlconf).url_patterns):
        namespace, _, short_name = name.partition(":")
        if namespace != API_NAMESPACE or short_name == ROOT_NAME:
            continue
        path = _CONVERTER.sub(r"{\1}", simplify_regex(route))
        group = path.removeprefix(root).split("/", 1)[0]
        groups.setdefault(group, {})[short_name] = path
    return groups


class ApiRootView(APIView):
    """The API root: every sub-platform's endpoints, grouped by the first segment of their path."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="API root",
        description=(
            "Every endpoint of the API, grouped by sub-platform or shared app (the first segment of the "
            "path): `{group: {endpoint name: absolute URL}}`. URLs with parameters are templates such as "
            "`.../k12/lessons/{pk}/`."
        ),
        responses={
            200: build_object_type(
                additionalProperties=build_object_type(
                    additionalProperties=build_basic_type(OpenApiTypes.URI)
                )
            )
        },
    )
    def get(self, request: Request) -> Response:
        site = request.build_absolute_uri("/").removesuffix("/")  # templates keep their braces unescaped
        return Response(
            {
                group: {name: site + path for name, path in endpoints.items()}
                for group, endpoints in api_endpoints(getattr(request, "urlconf", None)).items()
            }
        )
