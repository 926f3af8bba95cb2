"""Pages of this app, included under ``/employment/`` in the ``employment`` namespace.

URL names are unique across the employment package: prefix them with ``front-``.
"""

from django.urls import URLPattern, URLResolver, path

from employment.front import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("front/progress/", views.progress, name="front-progress"),
    path("front/graduates/<int:pk>/support/", views.support, name="front-support"),
    path("front/counsellors/", views.counsellors, name="front-counsellors"),
    path("front/directives/", views.directives, name="front-directives"),
    path("front/directives/<int:pk>/", views.directive, name="front-directive"),
    path("front/attachments/<int:pk>/", views.attachment, name="front-attachment"),
    path("front/inbox/", views.inbox, name="front-inbox"),
    path("front/inbox/<int:pk>/", views.inbox_directive, name="front-inbox-directive"),
    path("front/surveys/", views.surveys, name="front-surveys"),
    path("front/surveys/new/", views.survey_new, name="front-survey-new"),
    path("front/surveys/<int:pk>/", views.survey, name="front-survey"),
]
