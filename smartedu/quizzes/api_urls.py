"""URL patterns of the quizzes API, for ``/api/v1/quizzes/`` and for any sub-platform's prefix.

A sub-platform mounts them in its own ``api_urls.py``::

    from smartedu.quizzes.api_urls import quiz_api_patterns

    urlpatterns += [path("quizzes/", include(quiz_api_patterns(platform="vocational")))]

which serves ``/api/v1/vocational/quizzes/{id}/attempts/`` and the rest for its own quizzes only.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from smartedu.quizzes import api


def quiz_api_patterns(*, platform: str | None = None) -> list[URLPattern]:
    prefix = f"{platform}-" if platform else ""
    scoped = {"platform": platform}
    return [
        path(
            "wrong-answers/",
            api.QuizWrongAnswerListView.as_view(**scoped),
            name=f"{prefix}quiz-wrong-answers",
        ),
        path(
            "wrong-answers/review/",
            api.QuizReviewStartView.as_view(**scoped),
            name=f"{prefix}quiz-wrong-answers-review",
        ),
        path("<int:pk>/", api.QuizDetailView.as_view(**scoped), name=f"{prefix}quiz"),
        path(
            "<int:pk>/attempts/",
            api.QuizAttemptListCreateView.as_view(**scoped),
            name=f"{prefix}quiz-attempts",
        ),
        path("<int:pk>/results/", api.QuizResultsView.as_view(**scoped), name=f"{prefix}quiz-results"),
    ]


urlpatterns = quiz_api_patterns()
