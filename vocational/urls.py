from django.urls import path

from vocational import views

app_name = "vocational"

urlpatterns = [
    path("", views.index, name="index"),
    path("libraries/", views.library_list, name="libraries"),
    path("libraries/<int:pk>/", views.library_detail, name="library"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/fork/", views.course_fork, name="course-fork"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/units/", views.unit_create, name="unit-create"),
    path("courses/<int:pk>/units/<int:unit_id>/", views.unit_action, name="unit-action"),
    path("courses/<int:pk>/items/<int:item_id>/", views.item_action, name="item-action"),
    path("courses/<int:pk>/items/<int:item_id>/class-test/", views.class_test_create, name="class-test"),
    path("courses/<int:pk>/upload/", views.resource_upload, name="upload"),
    path("courses/<int:pk>/publish/", views.course_publish, name="publish"),
    path("courses/<int:pk>/upstream/", views.upstream, name="upstream"),
    path("courses/<int:pk>/questions/", views.questions, name="questions"),
    path("courses/<int:pk>/questions/<int:question_id>/reply/", views.question_reply, name="question-reply"),
    path("courses/<int:pk>/dashboard/", views.course_dashboard, name="dashboard"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/rate/", views.resource_rate, name="resource-rate"),
    path("ranking/", views.ranking, name="ranking"),
    path("textbooks/", views.textbook_list, name="textbooks"),
    path("textbooks/<int:pk>/", views.textbook_detail, name="textbook"),
    path("simulations/", views.simulation_list, name="simulations"),
    path("simulations/<int:pk>/", views.simulation_detail, name="simulation"),
    path("training/", views.training_list, name="training"),
    path("training/<int:pk>/", views.training_action, name="training-action"),
    path("me/", views.my_courses, name="me"),
    path("rates/", views.admin_rates, name="rates"),
]
