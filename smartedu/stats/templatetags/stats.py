"""``{% stats_beacon "k12.lesson" lesson.pk %}``: count a view of this page's content, even from a cache.

It renders the item as JSON for ``stats/beacon.js`` (which sends every item of the page in one
``navigator.sendBeacon`` POST to ``/api/v1/stats/views/``) and a ``<noscript>`` 1×1 pixel for browsers
without JavaScript. The rendered HTML is the same for every visitor, so pages may be cached whole.
"""

import functools
import json

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def stats_beacon(kind: str, object_id: int = 0) -> SafeString:
    # Every content page renders it: kept per item and URL configuration (two reverses and a template).
    urlconf = str(get_urlconf() or settings.ROOT_URLCONF)
    return _beacon_html(kind, int(object_id), get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=4096)
def _beacon_html(kind: str, object_id: int, _language: str, _prefix: str, _urlconf: str) -> SafeString:
    return mark_safe(render_to_string("stats/beacon.html", _beacon_context(kind, object_id)))  # noqa: S308


def _beacon_context(kind: str, object_id: int) -> dict:
    return {
        # JSON inside <script>: "<", ">" and "&" escaped as \\u00XX so that nothing can close the element.
        "item": mark_safe(  # noqa: S308
            json.dumps({"kind": kind, "id": int(object_id)})
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
        ),
        "endpoint": reverse("api:stats-views"),
        "pixel": reverse("api:stats-pixel") + "?" + urlencode({"i": f"{kind}:{int(object_id)}"}),
    }
