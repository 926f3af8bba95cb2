from django.urls import path

from smartedu.guardians import views

app_name = "guardians"

urlpatterns = [
    path("", views.family, name="index"),
    path("code/", views.code_issue, name="code"),
    path("link/", views.link, name="link"),
    path("children/<int:child_id>/consent/", views.consent, name="consent"),
    path("links/<int:link_id>/remove/", views.unlink, name="unlink"),
]
