from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.accounts import access, selectors, services
from smartedu.accounts.forms import LoginForm, ProfileForm, RegistrationForm
from smartedu.accounts.models import User
from smartedu.portal.client import client_ip


def _signed_in(request: HttpRequest) -> User:
    """The signed-in account of a ``login_required`` view."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _admin(request: HttpRequest, allowed: bool) -> User:
    if not allowed:
        raise PermissionDenied
    return _signed_in(request)


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
                birth_date=data.get("birth_date"),
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
    user = _signed_in(request)
    was_approved = user.needs_approval and user.is_approved
    initial = {
        "first_name": user.first_name,
        "email": user.email,
        "province": user.province_id,
        "institution": user.institution,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_update_profile(user=user, client_ip=client_ip(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            if was_approved and not user.is_approved:
                messages.info(
                    request,
                    _("You changed your province or organisation: an administrator approves it again."),
                )
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    admin = _admin(request, access.approvals_openable(request.user))
    pending = selectors.user_pending_approval_list(admin=admin)
    return render(request, "accounts/approvals.html", {"pending": pending})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve one waiting account: 404 outside the administrator's scope, 409 if it is not waiting."""
    admin = _admin(request, access.approvals_openable(request.user))
    account = access.access_account_for_approval(admin, pk)
    try:
        services.user_approve(user=account, approved_by=admin, client_ip=client_ip(request))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        pending = selectors.user_pending_approval_list(admin=admin)
        return render(request, "accounts/approvals.html", {"pending": pending}, status=409)
    messages.success(request, _("%(username)s was approved.") % {"username": account.username})
    return redirect("accounts:approvals")


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    """Accounts in the administrator's scope that are locked out after failed logins."""
    admin = _admin(request, access.lockouts_openable(request.user))
    return render(request, "accounts/lockouts.html", {"lockouts": selectors.lockout_list(admin=admin)})


@login_required
@require_POST
def unlock(request: HttpRequest, username: str) -> HttpResponse:
    admin = _admin(request, access.lockouts_openable(request.user))
    account = access.access_governed_account(admin, username=username)
    services.user_lockout_clear(actor=admin, user=account, client_ip=client_ip(request))
    messages.success(request, _("%(username)s may log in again.") % {"username": account.username})
    return redirect("accounts:lockouts")
