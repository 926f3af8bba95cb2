"""This app's endpoints under ``/api/v1/employment/``."""

from django.urls import URLPattern, URLResolver, path

from employment.front import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("progress/", api.ProgressView.as_view(), name="employment-progress"),
    path("graduates/<int:pk>/support/", api.SupportView.as_view(), name="employment-graduate-support"),
    path("directives/", api.DirectiveListView.as_view(), name="employment-directives"),
    path("directives/<int:pk>/", api.DirectiveDetailView.as_view(), name="employment-directive"),
    path(
        "directives/<int:pk>/recipients/",
        api.DirectiveRecipientsView.as_view(),
        name="employment-directive-recipients",
    ),
    path("directives/<int:pk>/read/", api.DirectiveReadView.as_view(), name="employment-directive-read"),
    path(
        "directives/<int:pk>/acknowledge/",
        api.DirectiveAcknowledgeView.as_view(),
        name="employment-directive-acknowledge",
    ),
    path("surveys/", api.SurveyListView.as_view(), name="employment-surveys"),
    path("surveys/<int:pk>/", api.SurveyDetailView.as_view(), name="employment-survey"),
    path("surveys/<int:pk>/answer/", api.SurveyAnswerView.as_view(), name="employment-survey-answer"),
    path("surveys/<int:pk>/close/", api.SurveyCloseView.as_view(), name="employment-survey-close"),
]
