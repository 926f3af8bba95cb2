from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from smartedu.accounts import access
from smartedu.portal import health, selectors
from smartedu.portal.client import client_ip


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"cards": selectors.platform_cards()})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when database, cache and broker answer; 503 naming the failing part otherwise.

    The errors themselves are shown to administrators and to requests from the machine itself only.
    """
    detailed = access.health_detail_visible(getattr(request, "user", None), client_ip(request))
    body, ready = health.readiness_report(detailed=detailed)
    return JsonResponse(body, status=200 if ready else 503)


def media_file(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """Embedded mode only (DJANGO_SERVE_MEDIA): a file under MEDIA_ROOT; never a path outside it."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
