"""Pages of this app, included under ``/employment/`` in the ``employment`` namespace.

URL names are unique across the employment package: prefix them with ``fairs-``.
"""

from django.urls import URLPattern, URLResolver, path

from employment.fairs import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("fairs/", views.fair_list, name="fairs-list"),
    path("fairs/mine/", views.fair_mine, name="fairs-mine"),
    path("fairs/new/", views.fair_new, name="fairs-new"),
    path("fairs/<int:pk>/", views.fair_detail, name="fairs-detail"),
    path("fairs/<int:pk>/register/", views.fair_register, name="fairs-register"),
    path("fairs/<int:pk>/manage/", views.fair_manage, name="fairs-manage"),
    path("fairs/<int:pk>/jobs/<int:job_id>/apply/", views.fair_apply, name="fairs-apply"),
]
