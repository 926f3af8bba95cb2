"""``/api/v1/search/`` (included by smartedu/api_urls.py)."""

from django.urls import path

from smartedu.search import api

urlpatterns = [
    path("", api.SearchView.as_view(), name="search"),
    path("suggest/", api.SuggestView.as_view(), name="search-suggest"),
]
