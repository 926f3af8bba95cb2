"""``/api/v1/employment/``."""

from django.urls import include, path

from employment import api

urlpatterns = [
    path("jobs/", api.JobListView.as_view(), name="employment-jobs"),
    path("jobs/recommended/", api.RecommendedJobsView.as_view(), name="employment-jobs-recommended"),
    path("jobs/<int:pk>/", api.JobDetailView.as_view(), name="employment-job"),
    path("resume/", api.ResumeView.as_view(), name="employment-resume"),
    path("resume/pdf", api.ResumePdfView.as_view(), name="employment-resume-pdf"),
    path("intention/", api.IntentionView.as_view(), name="employment-intention"),
    path("applications/", api.ApplicationListView.as_view(), name="employment-applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="employment-application"),
    path(
        "applications/<int:pk>/messages/",
        api.MessageListView.as_view(),
        name="employment-application-messages",
    ),
    path("employers/", api.EmployerListView.as_view(), name="employment-employers"),
    path("employers/<int:pk>/", api.EmployerDetailView.as_view(), name="employment-employer"),
    path("employers/<int:pk>/review/", api.EmployerReviewView.as_view(), name="employment-employer-review"),
    path("registry/import/", api.RegistryImportView.as_view(), name="employment-registry-import"),
    path(
        "registry/import/<int:pk>/",
        api.RegistryImportDetailView.as_view(),
        name="employment-registry-import-detail",
    ),
    path("verification/", api.VerificationView.as_view(), name="employment-verification"),
    path("talent/", api.TalentView.as_view(), name="employment-talent"),
    path("talent/<int:graduate_id>/", api.TalentResumeView.as_view(), name="employment-talent-resume"),
    path("supply/", api.SupplyView.as_view(), name="employment-supply"),
    path("", include("employment.agreements.api_urls")),
    path("", include("employment.feeds.api_urls")),
    path("", include("employment.fairs.api_urls")),
    path("", include("employment.front.api_urls")),
    path("", include("employment.guidance.api_urls")),
]
