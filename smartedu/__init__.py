"""The smartedu Django project: the portal and the shared apps (accounts, portal, stats, search)."""

from smartedu.celery import app as celery_app

__all__ = ["celery_app"]
