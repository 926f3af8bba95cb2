from django.urls import path

from smartedu.classes import views

app_name = "classes"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("new/", views.class_create, name="create"),
    path("join/", views.class_join, name="join"),
    path("<int:pk>/", views.class_detail, name="detail"),
    path("<int:pk>/edit/", views.class_edit, name="edit"),
    path("<int:pk>/code/", views.class_code, name="code"),
    path("<int:pk>/archive/", views.class_archive, name="archive"),
    path("<int:pk>/restore/", views.class_restore, name="restore"),
    path("<int:pk>/members/<int:student_id>/remove/", views.member_remove, name="member-remove"),
    path("<int:pk>/leave/", views.class_leave, name="leave"),
]
