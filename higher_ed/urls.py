from django.urls import path

from higher_ed import views

app_name = "higher_ed"

urlpatterns = [
    path("", views.index, name="index"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/source/", views.course_source, name="course-source"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course-enrol"),
    path("universities/", views.university_list, name="universities"),
    path("universities/<int:pk>/", views.university_detail, name="university"),
    path("teachers/", views.teacher_list, name="teachers"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher"),
    path("platforms/", views.platform_list, name="platforms"),
    path("platforms/manage/", views.platforms_manage, name="platforms-manage"),
    path("platforms/<slug:code>/", views.platform_detail, name="platform"),
    path("me/", views.my_courses, name="my-courses"),
    path("me/enrollments/<int:pk>/", views.enrollment_detail, name="enrollment"),
    path("me/enrollments/<int:pk>/progress/", views.enrollment_progress, name="enrollment-progress"),
    path("me/enrollments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("monitoring/", views.monitoring, name="monitoring"),
]
