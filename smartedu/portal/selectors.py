"""Reads of the portal: the sub-platforms and their headline figures."""

from django.core.cache import cache

from smartedu.portal.registry import platforms

HEADLINE_CACHE_KEY = "portal:headline-figures:v1"
HEADLINE_CACHE_SECONDS = 300


def headline_figures_compute() -> dict[str, dict[str, int]]:
    """Count every registered figure in the database: ``{platform key: {figure key: value}}``."""
    return {p.key: {f.key: int(f.count()) for f in p.figures} for p in platforms()}


def headline_figures() -> dict[str, dict[str, int]]:
    """The figures as the home page shows them: from the cache the beat task refreshes, else counted now."""
    figures = cache.get(HEADLINE_CACHE_KEY)
    if figures is None:
        figures = headline_figures_compute()
        cache.set(HEADLINE_CACHE_KEY, figures, HEADLINE_CACHE_SECONDS)
    return figures


def platform_cards() -> list[dict]:
    """The four sub-platforms with their labelled figures (labels are lazy: they render translated)."""
    values = headline_figures()
    return [
        {
            "platform": p,
            "figures": [{"label": f.label, "value": values.get(p.key, {}).get(f.key, 0)} for f in p.figures],
        }
        for p in platforms()
    ]
