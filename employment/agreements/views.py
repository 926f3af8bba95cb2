"""Pages of the agreements: the employer drafts from a hired application, the graduate signs, the officer
confirms. Thin: each checks access (``employment.agreements.access``) and calls one service or selector."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from employment import access as employment_access
from employment.agreements import access, pdf, selectors, services
from employment.agreements.forms import CancelForm, TermsForm
from employment.agreements.models import AgreementStatus, SignerRole
from employment.models import ApplicationStatus
from employment.throttles import write_throttled
from smartedu.accounts.models import User
from smartedu.portal.client import client_ip


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    return None


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    """A party's agreements; for an officer, those waiting for confirmation first, and the notices."""
    if not access.agreements_openable(request.user):
        raise PermissionDenied
    is_officer = employment_access.officer_openable(request.user)
    context: dict[str, Any] = {
        "page_obj": Paginator(selectors.agreement_list(user=request.user), 20).get_page(
            request.GET.get("page")
        ),
        "is_officer": is_officer,
    }
    if is_officer:
        if request.method == "POST":
            services.notices_mark_read(officer=_user(request))
            return redirect("employment:agreements")
        context["waiting"] = list(selectors.awaiting_officer(user=request.user)[:100])
        context["notices"] = list(selectors.notices(user=request.user)[:20])
    return render(request, "agreements/list.html", context)


@login_required
def agreement_new(request: HttpRequest, application_id: int) -> HttpResponse:
    """The employer drafts the agreement of a hired application (the terms start from the job)."""
    if not access.draftable(request.user):
        raise PermissionDenied
    application = employment_access.access_application(request.user, application_id)
    existing = selectors.open_agreement_of(application=application)
    if existing is not None:
        return redirect("employment:agreements-detail", pk=existing.pk)
    if application.status != ApplicationStatus.HIRED:
        messages.error(request, _("Only a hired application gets an agreement."))
        return redirect("employment:application", pk=application.pk)
    job = application.job
    form = TermsForm(
        request.POST or None,
        initial={
            "position": job.title,
            "place": job.city,
            "salary": job.salary_min,
            "term_months": 36,
            "probation_months": 3,
            "clauses": services.STANDARD_CLAUSES,
        },
    )
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                agreement, _created = services.agreement_draft(
                    actor=_user(request),
                    application=application,
                    terms=form.terms(),
                    client_ip=client_ip(request),
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request, _("The agreement is drafted and waits for the graduate's signature.")
                )
                return redirect("employment:agreements-detail", pk=agreement.pk)
    return render(
        request, "agreements/form.html", {"form": form, "application": application, "agreement": None}
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer changes the terms: a new version, and the signatures start over."""
    agreement, role = access.access_agreement_as_party(request.user, pk)
    if role != SignerRole.EMPLOYER:
        raise PermissionDenied
    view = selectors.agreement_view(agreement=agreement)
    current = view.current
    form = TermsForm(
        request.POST or None,
        initial={
            "position": current.position,
            "place": current.place,
            "salary": current.salary,
            "term_months": current.term_months,
            "probation_months": current.probation_months,
            "clauses": current.clauses,
            "read_version": current.number,
        },
    )
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                services.agreement_revise(
                    actor=_user(request),
                    agreement_id=agreement.pk,
                    terms=form.terms(),
                    read_version=form.cleaned_data["read_version"] or 0,
                    client_ip=client_ip(request),
                )
            except services.VersionConflict:
                messages.error(
                    request, _("The agreement changed while you were editing it; here is the new version.")
                )
                return redirect("employment:agreements-edit", pk=pk)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Saved as a new version; the graduate signs again."))
                return redirect("employment:agreements-detail", pk=pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "application": agreement.application, "agreement": agreement},
    )


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement, its versions and signature log; sign, confirm, or ask/consent to cancel."""
    found = access.access_agreement(request.user, pk)
    role = access.party_role(request.user, found)
    cancel_form = CancelForm(request.POST if request.POST.get("part") == "cancel" else None)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        part = request.POST.get("part")
        try:
            if part == "sign":
                read = request.POST.get("version", "")
                services.agreement_sign(
                    actor=_user(request),
                    agreement_id=found.pk,
                    read_version=int(read) if read.isdigit() else 0,
                    client_ip=client_ip(request),
                )
                messages.success(request, _("Signed."))
                return redirect("employment:agreements-detail", pk=pk)
            if part == "cancel" and cancel_form.is_valid():
                services.agreement_cancel(
                    actor=_user(request), agreement_id=found.pk, reason=cancel_form.cleaned_data["reason"]
                )
                messages.success(request, _("Your consent to cancel is recorded."))
                return redirect("employment:agreements-detail", pk=pk)
        except services.VersionConflict:
            messages.error(
                request, _("The terms changed since you read them; read this version and sign again.")
            )
            return redirect("employment:agreements-detail", pk=pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        found = access.access_agreement(request.user, pk)
    view = selectors.agreement_view(agreement=found)
    signed_roles = {s.role for s in view.current_signatures()}
    can_sign = (role == SignerRole.GRADUATE and found.status == AgreementStatus.AWAITING_GRADUATE) or (
        role == SignerRole.OFFICER and found.status == AgreementStatus.AWAITING_OFFICER
    )
    my_consent = (
        found.cancel_graduate_at
        if role == SignerRole.GRADUATE
        else found.cancel_employer_at
        if role == SignerRole.EMPLOYER
        else None
    )
    return render(
        request,
        "agreements/detail.html",
        {
            "view": view,
            "agreement": found,
            "role": role,
            "can_sign": can_sign and role not in signed_roles,
            "can_edit": role == SignerRole.EMPLOYER
            and found.status in (AgreementStatus.AWAITING_GRADUATE, AgreementStatus.AWAITING_OFFICER),
            "can_cancel": role in (SignerRole.GRADUATE, SignerRole.EMPLOYER)
            and found.status != AgreementStatus.CANCELLED
            and my_consent is None,
            "cancel_form": cancel_form,
        },
    )


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, for the three parties only."""
    agreement, _role = access.access_agreement_as_party(request.user, pk)
    return pdf.agreement_response(selectors.agreement_view(agreement=agreement))
