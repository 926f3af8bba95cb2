"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver, path

from employment.fairs import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("fairs/", api.FairListView.as_view(), name="employment-fairs"),
    path("fairs/<int:pk>/", api.FairDetailView.as_view(), name="employment-fair"),
    path(
        "fairs/<int:pk>/registrations/",
        api.RegistrationListView.as_view(),
        name="employment-fair-registrations",
    ),
    path(
        "fairs/<int:pk>/registrations/<int:registration_id>/",
        api.RegistrationDetailView.as_view(),
        name="employment-fair-registration",
    ),
    path(
        "fairs/<int:pk>/applications/", api.FairApplicationView.as_view(), name="employment-fair-applications"
    ),
]
