from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.accounts import access, selectors, services
from smartedu.accounts.forms import LoginForm, ProfileForm, RegistrationForm
from smartedu.accounts.models import User


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                role=data["role"],
                province=data["province"],
                institution=data["institution"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.is_approved:
                messages.success(request, _("Welcome! Your account is ready."))
            else:
                messages.info(request, _("Your account was created and awaits an administrator's approval."))
            return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); redirects to the home page (LOGOUT_REDIRECT_URL)."""


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "first_name": user.first_name,
        "email": user.email,
        "province": user.province_id,
        "institution": user.institution,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not access.approvals_openable(request.user):
        raise PermissionDenied
    pending = selectors.user_pending_approval_list(admin=request.user)
    return render(request, "accounts/approvals.html", {"pending": pending})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.user_approve(user=user, approved_by=request.user)  # PermissionDenied -> 403 page
    messages.success(request, _("%(username)s was approved.") % {"username": user.username})
    return redirect("accounts:approvals")
