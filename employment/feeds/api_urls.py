"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver, path

from employment.feeds import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/import/", api.FeedImportView.as_view(), name="employment-feeds-import"),
    path("feeds/import/<int:pk>/", api.FeedImportDetailView.as_view(), name="employment-feeds-import-detail"),
    path("feeds/export/", api.FeedExportView.as_view(), name="employment-feeds-export"),
]
