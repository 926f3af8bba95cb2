import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from smartedu.accounts import access
from smartedu.portal import health, selectors, uploads
from smartedu.portal.client import client_ip
from smartedu.portal.registry import nav_links_for


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: the signed-in user's own pages, as the apps registered them for this user's role."""
    return render(request, "portal/me.html", {"links": nav_links_for(request.user)})


def home(request: HttpRequest) -> HttpResponse:
    """The portal: search, the four sub-platforms with their content, hot and new content, announcements.

    Everything comes from cached objects (``selectors.home_data``, the headline figures), so a warm home
    page costs no query whoever asks. A sub-platform's card
    counts its visible content per searchable kind; one with no searchable kind yet shows its headline
    figures.
    """
    return render(
        request,
        "portal/home.html",
        {
            # Read only when the cached block is rendered anew (smartedu/portal/fragments.py).
            "cards": SimpleLazyObject(selectors.platform_cards),
            "home": SimpleLazyObject(selectors.home_data),
        },
    )


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


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one ``(first, last)`` byte range a ``Range`` header asks for; ``None`` to send the whole file.

    Raises ``ValueError`` for a range that lies outside the file (416). Several ranges are answered with the
    whole file, as RFC 9110 allows.
    """
    match = _RANGE.match(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:  # the last N bytes
        length = int(match[2])
        if length == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(size - length, 0), size - 1
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size or last < first:
        raise ValueError("range outside the file")
    return first, last


def _read(handle: IO[bytes], first: int, last: int) -> Iterator[bytes]:
    handle.seek(first)
    left = last - first + 1
    try:
        while left > 0:
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """Embedded mode only (DJANGO_SERVE_MEDIA): a stored file that published content points at.

    Only names registered through ``smartedu.portal.uploads.register_public_files`` and held by a visible
    row are served; drafts, unknown names and paths outside MEDIA_ROOT are 404. The content type comes from
    the file's content; videos are inline (for ``<video>``), everything else an attachment; ``nosniff``.
    A single ``Range`` is answered with 206, so that a video can be sought.
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
    content_type = kind.mime if kind else "application/octet-stream"
    size = default_storage.size(public.name)
    try:
        wanted = _byte_range(request.headers.get("Range", ""), size)
    except ValueError:
        handle.close()
        response: HttpResponseBase = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(
                handle,
                as_attachment=not public.inline,
                filename=PurePosixPath(public.name).name,
                content_type=content_type,
            )
        else:
            first, last = wanted
            response = StreamingHttpResponse(
                _read(handle, first, last), status=206, content_type=content_type
            )
            response["Content-Length"] = str(last - first + 1)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            disposition = content_disposition_header(not public.inline, PurePosixPath(public.name).name)
            if disposition:
                response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response
