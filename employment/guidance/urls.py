"""Pages of this app, included under ``/employment/`` in the ``employment`` namespace.

URL names are unique across the employment package: prefix them with ``guidance-``.
"""

from django.urls import URLPattern, URLResolver, path

from employment.guidance import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("guidance/", views.home, name="guidance-home"),
    path("guidance/assessments/", views.assessments, name="guidance-assessments"),
    path("guidance/assessments/<int:pk>/", views.assessment_take, name="guidance-assessment"),
    path("guidance/results/", views.results, name="guidance-results"),
    path("guidance/results/<int:pk>/", views.result, name="guidance-result"),
    path("guidance/encyclopedia/", views.encyclopedia, name="guidance-encyclopedia"),
    path("guidance/encyclopedia/<int:pk>/", views.encyclopedia_entry, name="guidance-entry"),
    path("guidance/cases/", views.cases, name="guidance-cases"),
    path("guidance/cases/<int:pk>/", views.case, name="guidance-case"),
    path("guidance/live/", views.live_courses, name="guidance-live-list"),
    path("guidance/live/<int:pk>/", views.live_course, name="guidance-live"),
    path("guidance/training/", views.training_courses, name="guidance-training-list"),
    path("guidance/training/<int:pk>/", views.training_course, name="guidance-training"),
    path("guidance/programs/", views.programs, name="guidance-programs"),
    path("guidance/programs/<int:pk>/", views.program, name="guidance-program"),
    path("guidance/articles/", views.articles, name="guidance-articles"),
    path("guidance/articles/<int:pk>/", views.article, name="guidance-article"),
    path("guidance/reports/", views.reports, name="guidance-reports"),
    path("guidance/sites/", views.sites, name="guidance-sites"),
    path("guidance/sites/<int:pk>/go/", views.site_go, name="guidance-site-go"),
]
