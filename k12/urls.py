from django.urls import path

from k12 import views

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
