"""``/sitemap.xml``: a sitemap index of the sections every app registers in its ``AppConfig.ready()``.

An app registers Django ``Sitemap`` objects whose ``items()`` start from its visibility method, so that hidden
content (drafts, switched-off platforms) is never listed::

    from smartedu.portal.sitemaps import register_sitemap

    register_sitemap("higher-ed-courses", CourseSitemap())

``/sitemap.xml`` lists one ``/sitemap-<section>.xml?p=<page>`` per 50,000 URLs (the protocol's limit); each of
those lists the URLs in the site's default language, on the host and scheme the request came in on.
"""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import translation

_sitemaps: dict[str, Sitemap] = {}

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def register_sitemap(key: str, sitemap: Sitemap) -> None:
    _sitemaps[key] = sitemap


def unregister_sitemap(key: str) -> None:
    _sitemaps.pop(key, None)


def sitemaps() -> dict[str, Sitemap]:
    return dict(sorted(_sitemaps.items()))


def _xml(body: str) -> HttpResponse:
    return HttpResponse(XML_HEAD + body, content_type="application/xml; charset=utf-8")


def sitemap_index(request: HttpRequest) -> HttpResponse:
    entries = []
    for key, sitemap in sitemaps().items():
        base = request.build_absolute_uri(reverse("sitemap-section", args=[key]))
        for page in sitemap.paginator.page_range:
            loc = base if page == 1 else f"{base}?p={page}"
            entries.append(f"<sitemap><loc>{escape(loc)}</loc></sitemap>")
    return _xml(f'<sitemapindex xmlns="{NAMESPACE}">{"".join(entries)}</sitemapindex>')


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    sitemap = _sitemaps.get(section)
    if sitemap is None:
        raise Http404("No such sitemap section.")
    try:
        page = int(request.GET.get("p", "1"))
    except ValueError as exc:
        raise Http404("No such page.") from exc
    with translation.override(settings.LANGUAGE_CODE):
        try:
            urls = sitemap.get_urls(page=page, site=RequestSite(request), protocol=request.scheme)
        except (EmptyPage, PageNotAnInteger) as exc:
            raise Http404("No such page.") from exc
    entries = []
    for url in urls:
        parts = [f"<loc>{escape(url['location'])}</loc>"]
        if url.get("lastmod"):
            lastmod = url["lastmod"]
            day = lastmod.date() if isinstance(lastmod, datetime) else lastmod
            parts.append(f"<lastmod>{day.isoformat()}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(str(url['changefreq']))}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
        entries.append(f"<url>{''.join(parts)}</url>")
    return _xml(f'<urlset xmlns="{NAMESPACE}">{"".join(entries)}</urlset>')


urlpatterns = [
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
]
