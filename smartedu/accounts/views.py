from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.accounts import access, backends, selectors, services
from smartedu.accounts.forms import LoginForm, ProfileForm, RegistrationForm
from smartedu.accounts.models import User
from smartedu.classes import ratelimit
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
            login(request, user, backend=backends.PATH)
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


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and mails a reset link; rate-limited per real client address.

    The answer is the same whether the address belongs to an account or not (no account discovery).
    """

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            ratelimit.count(limit=password_reset_limit(), user_id=0, address=client_ip(request))
        except ratelimit.RateLimited as exc:
            form = self.get_form()
            form.add_error(
                "email",
                _("Too many tries. Wait %(minutes)d minutes and try again.")
                % {"minutes": max(1, round(exc.retry_after / 60))},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:me")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


def password_reset_limit() -> ratelimit.Limit:
    """Reset e-mails asked for per client address in a window (settings override the defaults)."""
    return ratelimit.Limit(
        scope="password-reset",
        per_user=settings.PASSWORD_RESETS_PER_ADDRESS,
        per_address=settings.PASSWORD_RESETS_PER_ADDRESS,
        window=settings.PASSWORD_RESET_WINDOW_SECONDS,
    )


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
