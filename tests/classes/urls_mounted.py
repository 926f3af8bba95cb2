"""The site's URLs plus the class and quiz APIs mounted the way a sub-platform mounts them."""

from django.urls import include, path

from smartedu.classes.api_urls import class_api_patterns
from smartedu.quizzes.api_urls import quiz_api_patterns
from smartedu.urls import urlpatterns as site

urlpatterns = [
    path("api/v1/vocational/classes/", include(class_api_patterns(platform="vocational"))),
    path("api/v1/vocational/quizzes/", include(quiz_api_patterns(platform="vocational"))),
    *site,
]
