from typing import Any

from celery import shared_task
from django.db import DatabaseError
from redis import RedisError

from smartedu.stats import services
from smartedu.stats.buffer import BufferUnavailable


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, RedisError, BufferUnavailable),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=3,
    acks_late=True,
    time_limit=240,
    soft_time_limit=200,
)
def flush_view_counts_task(self: Any) -> dict[str, int]:
    """Beat task: drain the view buffer into the rollups (replay-safe; running it twice does no harm).

    A batch that fails is set aside by the flush itself after ``STATS_BATCH_MAX_FAILURES`` runs; the task is
    retried only when the database or the buffer stops answering.
    """
    return services.view_counts_flush().as_dict()
