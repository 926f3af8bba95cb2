"""``{% stats_beacon "k12.lesson" lesson.pk %}``: count a view of this page's content, even from a cache.

It renders the item as JSON for ``stats/beacon.js`` (which sends every item of the page in one
``navigator.sendBeacon`` POST to ``/api/v1/stats/views/``) and a ``<noscript>`` 1×1 pixel for browsers
without JavaScript. The rendered HTML is the same for every visitor, so pages may be cached whole.
"""

import json

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("stats/beacon.html")
def stats_beacon(kind: str, object_id: int = 0) -> dict:
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
