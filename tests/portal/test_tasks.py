"""Celery tasks run by a real worker process (not eager mode), in both modes."""

import pytest
from django.conf import settings
from django.core.cache import cache

from k12.models import Edition
from smartedu.portal.selectors import HEADLINE_CACHE_KEY, headline_figures_compute
from smartedu.portal.tasks import refresh_headline_figures_task

pytestmark = pytest.mark.worker


def test_worker_refreshes_headline_figures_from_the_database(celery_worker_process):
    # given a figure the worker can only know by reading this test's database
    Edition.objects.create(code="worker-made", name="工作进程版", publisher="测试", order=50)
    # when
    result = refresh_headline_figures_task.delay().get(timeout=60)
    # then
    assert result == headline_figures_compute()
    assert result["k12"]["editions"] == 20
    if not settings.EMBEDDED:  # the worker shares the Redis cache with the web processes
        assert cache.get(HEADLINE_CACHE_KEY)["k12"]["editions"] == 20


def test_beat_schedule_names_real_tasks():
    from smartedu.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        assert entry["options"]["expires"] < entry["schedule"]
