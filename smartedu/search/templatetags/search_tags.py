"""``{% recommendations "k12.lesson" lesson.pk %}``: an object's stored recommendations, each with its reason
(one query; computed in Celery, never while the page renders)."""

from __future__ import annotations

from typing import Any

from django import template

from smartedu.search import selectors

register = template.Library()


@register.inclusion_tag("search/includes/recommendations.html")
def recommendations(source_kind: str, source_id: int) -> dict[str, Any]:
    return {"groups": selectors.recommendations_for(source_kind=source_kind, source_id=int(source_id))}
