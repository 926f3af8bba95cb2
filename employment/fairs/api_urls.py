"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
