from django.urls import path

from k12 import teaching_views, views

app_name = "k12"

urlpatterns = [
    path("", views.index, name="index"),
    path("sections/<slug:section>/", views.section_detail, name="section"),
    path("sections/<slug:section>/<slug:column>/", views.column_detail, name="column"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/cover.svg", views.resource_cover, name="resource-cover"),
    path("resources/<int:pk>/visit/", views.resource_visit, name="resource-visit"),
    path("resources/<int:pk>/favourite/", views.resource_favourite, name="resource-favourite"),
    path("partners/<int:pk>/", views.partner_visit, name="partner-visit"),
    path("textbooks/", views.textbook_browser, name="textbooks"),
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/submit/", views.lesson_submit, name="lesson-submit"),
    path("lessons/<int:pk>/favourite/", views.lesson_favourite, name="lesson-favourite"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("etextbooks/", views.etextbook_list, name="etextbooks"),
    path("etextbooks/<int:pk>/", views.etextbook_detail, name="etextbook"),
    path("etextbooks/<int:pk>/cover.svg", views.etextbook_cover, name="etextbook-cover"),
    path("etextbooks/<int:pk>/file/", views.etextbook_file, name="etextbook-file"),
    path("me/", views.my_learning, name="my-learning"),
]

# Teachers (lesson preparation, homework, classroom mode) and parents (a linked child's record).
urlpatterns += [
    path("teaching/", teaching_views.teaching, name="teaching"),
    path("teaching/plans/", teaching_views.plan_create, name="plan-create"),
    path("teaching/plans/<int:pk>/", teaching_views.plan_detail, name="plan"),
    path("teaching/plans/<int:pk>/copy/", teaching_views.plan_copy, name="plan-copy"),
    path("teaching/plans/<int:pk>/delete/", teaching_views.plan_delete, name="plan-delete"),
    path("teaching/plans/<int:pk>/items/<int:item_id>/", teaching_views.plan_item_action, name="plan-item"),
    path("lessons/<int:pk>/homework/", teaching_views.homework_assign, name="homework-assign"),
    path("lessons/<int:pk>/plan/", teaching_views.lesson_to_plan, name="lesson-to-plan"),
    path("resources/<int:pk>/plan/", teaching_views.resource_to_plan, name="resource-to-plan"),
    path("lessons/<int:pk>/classroom/", teaching_views.classroom, name="classroom"),
    path("lessons/<int:pk>/classroom/<int:step>/", teaching_views.classroom, name="classroom-step"),
    path("family/<int:child_id>/", teaching_views.child_record, name="child"),
]
