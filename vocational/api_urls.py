"""``/api/v1/vocational/``: the platform's own endpoints, plus the shared classes and quizzes for its own."""

from django.urls import include, path

from smartedu.classes.api_urls import class_api_patterns
from smartedu.quizzes.api_urls import quiz_api_patterns
from vocational import api

urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="vocational-categories"),
    path("specialties/", api.SpecialtyListView.as_view(), name="vocational-specialties"),
    path("libraries/", api.LibraryListView.as_view(), name="vocational-libraries"),
    path("libraries/<int:pk>/", api.LibraryDetailView.as_view(), name="vocational-library"),
    path("courses/", api.CourseListView.as_view(), name="vocational-courses"),
    path("courses/<int:pk>/", api.CourseDetailView.as_view(), name="vocational-course"),
    path("courses/<int:pk>/fork/", api.CourseForkView.as_view(), name="vocational-course-fork"),
    path("courses/<int:pk>/publish/", api.CoursePublishView.as_view(), name="vocational-course-publish"),
    path("courses/<int:pk>/units/", api.UnitCreateView.as_view(), name="vocational-course-units"),
    path(
        "courses/<int:pk>/units/reorder/",
        api.UnitReorderView.as_view(),
        name="vocational-course-units-reorder",
    ),
    path(
        "courses/<int:pk>/upstream-changes/",
        api.UpstreamChangesView.as_view(),
        name="vocational-course-upstream-changes",
    ),
    path(
        "courses/<int:pk>/class-tests/",
        api.ClassTestCreateView.as_view(),
        name="vocational-course-class-tests",
    ),
    path("resources/quizzes/", api.QuizResourceCreateView.as_view(), name="vocational-quiz-resources"),
    path("courses/<int:pk>/metrics/", api.CourseMetricsView.as_view(), name="vocational-course-metrics"),
    path("units/<int:pk>/", api.UnitDetailView.as_view(), name="vocational-unit"),
    path("units/<int:pk>/items/", api.ItemCreateView.as_view(), name="vocational-unit-items"),
    path(
        "units/<int:pk>/items/reorder/", api.ItemReorderView.as_view(), name="vocational-unit-items-reorder"
    ),
    path("items/<int:pk>/", api.ItemDetailView.as_view(), name="vocational-item"),
    path("items/<int:pk>/heartbeat/", api.ItemHeartbeatView.as_view(), name="vocational-item-heartbeat"),
    path("questions/", api.QuestionListCreateView.as_view(), name="vocational-questions"),
    path("questions/<int:pk>/replies/", api.QuestionReplyView.as_view(), name="vocational-question-replies"),
    path("resources/ranking/", api.ResourceRankingView.as_view(), name="vocational-resource-ranking"),
    path("resources/<int:pk>/rating/", api.ResourceRatingView.as_view(), name="vocational-resource-rating"),
    path("textbooks/", api.TextbookListView.as_view(), name="vocational-textbooks"),
    path(
        "textbooks/<int:pk>/evaluations/",
        api.TextbookEvaluationView.as_view(),
        name="vocational-textbook-evaluations",
    ),
    path(
        "simulations/<int:pk>/practices/",
        api.SimulationPracticeView.as_view(),
        name="vocational-simulation-practices",
    ),
    path("training/", api.TrainingListView.as_view(), name="vocational-training"),
    path(
        "training/<int:pk>/enrolment/", api.TrainingEnrollmentView.as_view(), name="vocational-training-enrol"
    ),
    path(
        "training/<int:pk>/completion/",
        api.TrainingCompletionView.as_view(),
        name="vocational-training-complete",
    ),
    path("classes/", include(class_api_patterns(platform="vocational"))),
    path("quizzes/", include(quiz_api_patterns(platform="vocational"))),
]
