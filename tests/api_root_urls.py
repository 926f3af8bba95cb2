"""A URL configuration for tests/test_api_root.py: the project's API plus an app that joins later."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from smartedu import api_urls


def _hello(request: HttpRequest, **kwargs: object) -> JsonResponse:
    return JsonResponse({})


newcomer_urlpatterns = [
    path("courses/", _hello, name="newcomer-courses"),
    path("courses/<slug:code>/", _hello, name="newcomer-course"),
]

urlpatterns = [
    path(
        "api/v1/",
        include(([*api_urls.urlpatterns, path("newcomer/", include(newcomer_urlpatterns))], "api")),
    ),
]
