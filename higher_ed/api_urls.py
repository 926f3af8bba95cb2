"""``/api/v1/higher-ed/``."""

from django.urls import path

from higher_ed import api

urlpatterns = [
    path("courses/", api.CourseListView.as_view(), name="higher-ed-courses"),
    path("courses/<int:pk>/", api.CourseDetailView.as_view(), name="higher-ed-course"),
    path("facets/", api.FacetsView.as_view(), name="higher-ed-facets"),
    path("suggest/", api.SuggestView.as_view(), name="higher-ed-suggest"),
    path("universities/", api.UniversityListView.as_view(), name="higher-ed-universities"),
    path("teachers/", api.TeacherListView.as_view(), name="higher-ed-teachers"),
    path("platforms/", api.PlatformListView.as_view(), name="higher-ed-platforms"),
    path("platforms/<int:pk>/", api.PlatformDetailView.as_view(), name="higher-ed-platform"),
    path("enrollments/", api.EnrollmentListCreateView.as_view(), name="higher-ed-enrollments"),
    path("enrollments/<int:pk>/progress/", api.ProgressView.as_view(), name="higher-ed-enrollment-progress"),
    path("monitoring/credit-courses/", api.MonitoringView.as_view(), name="higher-ed-monitoring"),
]
