"""The Celery application: configured from Django settings (namespace CELERY), tasks found per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")

app = Celery("smartedu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
