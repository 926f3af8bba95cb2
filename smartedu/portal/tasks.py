from celery import shared_task

from smartedu.portal import services


@shared_task(bind=True, max_retries=3, default_retry_delay=5, acks_late=True)
def refresh_headline_figures_task(self) -> dict[str, dict[str, int]]:
    """Beat task: recount the home page's headline figures (idempotent)."""
    return services.headline_figures_refresh()
