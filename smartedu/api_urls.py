"""``/api/v1/``: every app's API, mounted in one place."""

from django.urls import include, path

from smartedu.accounts import api as accounts_api

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="auth-token"),
    path("accounts/register/", accounts_api.RegisterView.as_view(), name="accounts-register"),
    path("accounts/me/", accounts_api.MeView.as_view(), name="accounts-me"),
    path("provinces/", accounts_api.ProvinceListView.as_view(), name="provinces"),
    path("k12/", include("k12.api_urls")),
]
