from django.urls import path

from smartedu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
]
