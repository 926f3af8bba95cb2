"""``/api/v1/k12/``."""

from django.urls import path

from k12 import api

urlpatterns = [
    path("sections/", api.SectionListView.as_view(), name="k12-sections"),
    path("resources/", api.ResourceListView.as_view(), name="k12-resources"),
    path("resources/<int:pk>/", api.ResourceDetailView.as_view(), name="k12-resource"),
    path("textbooks/", api.TextbookListView.as_view(), name="k12-textbooks"),
    path("textbooks/<int:pk>/", api.TextbookDetailView.as_view(), name="k12-textbook"),
    path("lessons/", api.LessonListView.as_view(), name="k12-lessons"),
    path("lessons/<int:pk>/", api.LessonDetailView.as_view(), name="k12-lesson"),
    path(
        "lessons/<int:pk>/submissions/", api.SubmissionListCreateView.as_view(), name="k12-lesson-submissions"
    ),
    path("etextbooks/", api.ETextbookListView.as_view(), name="k12-etextbooks"),
    path("etextbooks/<int:pk>/", api.ETextbookDetailView.as_view(), name="k12-etextbook"),
]
