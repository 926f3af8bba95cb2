from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from smartedu.portal import health, selectors, uploads


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
    failing = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    """Embedded mode only (DJANGO_SERVE_MEDIA): a stored file that published content points at.

    Only names registered through ``smartedu.portal.uploads.register_public_files`` and held by a visible
    row are served; drafts, unknown names and paths outside MEDIA_ROOT are 404. The content type comes from
    the file's content; videos are inline (for ``<video>``), everything else an attachment; ``nosniff``.
    """
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or ".." in parts or "\\" in path:
        raise Http404
    public = uploads.public_file(path)
    if public is None:
        raise Http404
    try:
        handle = default_storage.open(public.name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    kind = uploads.detect(handle)
    response = FileResponse(
        handle,
        as_attachment=not public.inline,
        filename=PurePosixPath(public.name).name,
        content_type=kind.mime if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
