"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver, path

from employment.agreements import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("agreements/", api.AgreementListView.as_view(), name="employment-agreements"),
    path("agreements/<int:pk>/", api.AgreementDetailView.as_view(), name="employment-agreement"),
    path("agreements/<int:pk>/sign/", api.AgreementSignView.as_view(), name="employment-agreement-sign"),
    path(
        "agreements/<int:pk>/cancel/", api.AgreementCancelView.as_view(), name="employment-agreement-cancel"
    ),
    path("agreements/<int:pk>/pdf", api.AgreementPdfView.as_view(), name="employment-agreement-pdf"),
]
