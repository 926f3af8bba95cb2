from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from smartedu.portal import health, selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"cards": selectors.platform_cards()})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when database, cache and broker answer; 503 naming the failing part otherwise."""
    checks = health.readiness()
    failing = [name for name, result in checks.items() if result.startswith("error")]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


def media_file(request: HttpRequest, path: str) -> HttpResponse:
    """Embedded mode only (DJANGO_SERVE_MEDIA): a file under MEDIA_ROOT; never a path outside it."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
