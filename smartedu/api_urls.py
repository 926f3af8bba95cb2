"""``/api/v1/``: every app's API, mounted in one place.

A new sub-platform adds one ``path("<platform>/", include("<platform>.api_urls"))`` here; the API root
(``GET /api/v1/``, smartedu/api_root.py) then lists its endpoints without further changes.
"""

from django.urls import include, path

from smartedu.accounts import api as accounts_api
from smartedu.api_root import ApiRootView
from smartedu.stats import api as stats_api

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/revoke/", accounts_api.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("accounts/register/", accounts_api.RegisterView.as_view(), name="accounts-register"),
    path("accounts/me/", accounts_api.MeView.as_view(), name="accounts-me"),
    path("provinces/", accounts_api.ProvinceListView.as_view(), name="provinces"),
    path("k12/", include("k12.api_urls")),
    path("search/", include("smartedu.search.api_urls")),
    path("classes/", include("smartedu.classes.api_urls")),
    path("quizzes/", include("smartedu.quizzes.api_urls")),
    path("higher-ed/", include("higher_ed.api_urls")),
    path("vocational/", include("vocational.api_urls")),
    path("employment/", include("employment.api_urls")),
    path("stats/views/", stats_api.ViewBeaconView.as_view(), name="stats-views"),
    path("stats/views/pixel.gif", stats_api.ViewPixelView.as_view(), name="stats-pixel"),
    path("stats/summary/", stats_api.SummaryView.as_view(), name="stats-summary"),
    path("stats/timeseries/", stats_api.TimeseriesView.as_view(), name="stats-timeseries"),
    path("stats/top/", stats_api.TopView.as_view(), name="stats-top"),
]
