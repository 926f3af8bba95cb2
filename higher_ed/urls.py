from django.urls import path

from higher_ed import views

app_name = "higher_ed"

urlpatterns = [
    path("", views.index, name="index"),
]
