from django.urls import path

from smartedu.stats import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("provinces/", views.provinces, name="provinces"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
    path("sections/", views.sections, name="sections"),
    path("hot/", views.hot, name="hot"),
]
