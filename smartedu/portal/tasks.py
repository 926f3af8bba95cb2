from celery import shared_task

from smartedu.portal import services


@shared_task(acks_late=True)
def refresh_headline_figures_task() -> dict[str, dict[str, int]]:
    """Beat task: recount the home page's headline figures (idempotent)."""
    return services.headline_figures_refresh()
