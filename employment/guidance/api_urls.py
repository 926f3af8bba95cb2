"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver, path

from employment.guidance import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("assessments/", api.AssessmentListView.as_view(), name="employment-assessments"),
    path("assessments/<int:pk>/", api.AssessmentDetailView.as_view(), name="employment-assessment"),
    path(
        "assessments/<int:pk>/submissions/",
        api.SubmissionListView.as_view(),
        name="employment-assessment-submissions",
    ),
    path(
        "assessments/results/<int:pk>/",
        api.SubmissionDetailView.as_view(),
        name="employment-assessment-result",
    ),
    path(
        "assessments/results/<int:pk>/shares/", api.ShareView.as_view(), name="employment-assessment-shares"
    ),
    path("guidance/articles/", api.ArticleListView.as_view(), name="employment-guidance-articles"),
    path("guidance/cases/", api.CaseListView.as_view(), name="employment-guidance-cases"),
    path(
        "guidance/encyclopedia/", api.EncyclopediaListView.as_view(), name="employment-guidance-encyclopedia"
    ),
    path("guidance/courses/", api.LiveCourseListView.as_view(), name="employment-guidance-courses"),
    path(
        "guidance/courses/<int:pk>/registrations/",
        api.LiveRegistrationView.as_view(),
        name="employment-guidance-course-registrations",
    ),
    path("guidance/training/", api.TrainingCourseListView.as_view(), name="employment-guidance-training"),
    path(
        "guidance/training/<int:pk>/progress/",
        api.TrainingProgressView.as_view(),
        name="employment-guidance-training-progress",
    ),
    path("guidance/programs/", api.ProgramListView.as_view(), name="employment-guidance-programs"),
]
