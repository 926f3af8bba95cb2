from django.core.cache import cache

from smartedu.portal.selectors import HEADLINE_CACHE_KEY, HEADLINE_CACHE_SECONDS, headline_figures_compute


def headline_figures_refresh() -> dict[str, dict[str, int]]:
    """Recount the headline figures and replace the cached copy the home page reads."""
    figures = headline_figures_compute()
    cache.set(HEADLINE_CACHE_KEY, figures, HEADLINE_CACHE_SECONDS)
    return figures
