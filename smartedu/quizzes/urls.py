from django.urls import path

from smartedu.quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("wrong-answers/", views.wrong_answers, name="wrong-answers"),
    path("wrong-answers/review/", views.review_start, name="review-start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("<int:pk>/", views.quiz_detail, name="detail"),
    path("<int:pk>/submit/", views.quiz_submit, name="submit"),
    path("<int:pk>/results/", views.quiz_results, name="results"),
]
