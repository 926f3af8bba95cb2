"""The project's URLs plus the two baselines (see ``bench/server/settings.py``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from hitcount.views import HitCountJSONView

from smartedu.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello", hello),
    path("bench/hitcount/", HitCountJSONView.as_view()),
    *project_urlpatterns,
]
