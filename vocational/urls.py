from django.urls import path

from vocational import views

app_name = "vocational"

urlpatterns = [
    path("", views.index, name="index"),
]
