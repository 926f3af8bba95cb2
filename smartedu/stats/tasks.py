from celery import shared_task
from django.db import DatabaseError
from redis import RedisError

from smartedu.stats import services


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, RedisError),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=3,
    acks_late=True,
    time_limit=240,
    soft_time_limit=200,
)
def flush_view_counts_task(self) -> dict[str, int]:
    """Beat task: drain the view buffer into the rollups (replay-safe; running it twice does no harm)."""
    return services.view_counts_flush().as_dict()
