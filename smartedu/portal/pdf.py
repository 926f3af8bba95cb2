"""Server-side PDFs (certificates, résumés, agreements) rendered from Django templates by WeasyPrint.

Chinese text is set in Noto CJK (Debian's ``fonts-noto-cjk``, found through fontconfig). Rendering never
reaches the network or the file system on behalf of a template: the URL fetcher serves only ``data:`` URLs
and the project's own static files, so user text that smuggles in an ``<img src="http://…">`` or
``file:///etc/passwd`` fetches nothing.
"""

from __future__ import annotations

import logging
import mimetypes
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

STATIC_PREFIX = "static:"
# Applied before each document's own styles: A4, Noto CJK for every script.
BASE_CSS = """
@page { size: A4; margin: 18mm 16mm; }
html { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 10.5pt;
       line-height: 1.6; }
"""


class FetchRefused(ValueError):
    """A template asked WeasyPrint for a resource outside the project's static files."""


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``data:`` URLs and ``static:<path>`` from staticfiles; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                path = finders.find(url.removeprefix(STATIC_PREFIX).lstrip("/"))
                if isinstance(path, str):
                    with open(path, "rb") as fh:
                        body = fh.read()
                    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            logger.warning("pdf: refused to fetch %s", url[:200])
            raise FetchRefused(url[:200])

    return StaticOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` to HTML and then to PDF bytes.

    Templates refer to their own assets as ``static:css/pdf.css`` (served from staticfiles); any other URL is
    refused and left out of the document.
    """
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[CSS(string=BASE_CSS)])
