from django.urls import path

from smartedu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("profile/", views.profile, name="profile"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/approve/", views.approve, name="approve"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<str:username>/unlock/", views.unlock, name="unlock"),
]
