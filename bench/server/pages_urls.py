"""The project's URLs plus the bare "hello" baseline, for the in-process page benchmark (``bench/pages.py``).

(``bench/server/urls.py`` adds django-hitcount too, which only the HTTP benchmark's environment has.)"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from smartedu.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *project_urlpatterns]
