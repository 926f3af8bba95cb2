from django.urls import include, path

from employment import views

app_name = "employment"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("jobs/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("employers/<int:pk>/", views.employer, name="employer"),
    path("me/", views.me, name="me"),
    path("me/verify/", views.verify, name="verify"),
    path("me/intention/", views.intention, name="intention"),
    path("me/resume/", views.resume, name="resume"),
    path("me/resume/pdf/", views.resume_pdf, name="resume-pdf"),
    path("resumes/<int:graduate_id>/attachment/", views.resume_attachment, name="resume-attachment"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("recruit/", views.employer_home, name="employer-home"),
    path("recruit/jobs/new/", views.job_new, name="job-new"),
    path("recruit/jobs/<int:pk>/edit/", views.job_edit, name="job-edit"),
    path("recruit/jobs/<int:pk>/close/", views.job_close, name="job-close"),
    path("recruit/inbox/", views.inbox, name="inbox"),
    path("recruit/talent/", views.talent, name="talent"),
    path("recruit/talent/<int:graduate_id>/", views.talent_resume, name="talent-resume"),
    path("officer/", views.officer, name="officer"),
    path("review/", views.review, name="review"),
    path("employers/<int:pk>/licence/", views.review_licence, name="licence"),
    path("registry/", views.registry, name="registry"),
    path("", include("employment.agreements.urls")),
    path("", include("employment.feeds.urls")),
    path("", include("employment.fairs.urls")),
    path("", include("employment.front.urls")),
    path("", include("employment.guidance.urls")),
]
