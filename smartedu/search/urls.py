from django.urls import path

from smartedu.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
