"""Server-rendered pages of the employment platform: thin, each calling one service or selector.

Who may open what is decided by ``employment.access`` (the same functions as the API and the navigation);
forms work without JavaScript. Writes are rate-limited per client address.
"""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment import access, forms, pdf, selectors, services
from employment.models import (
    Application,
    ApplicationStatus,
    Degree,
    EmployerStatus,
    Industry,
    JobType,
    ResumeSection,
)
from employment.throttles import verify_throttled, write_throttled
from smartedu.accounts.models import Province, User
from smartedu.portal.client import client_ip

PAGE_SIZE = 20


def _page(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    return None


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Public pages ----------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    # Read only when a cached block is rendered anew (smartedu/portal/fragments.py).
    return render(
        request,
        "employment/index.html",
        {
            "industries": SimpleLazyObject(lambda: list(selectors.industry_list())),
            "latest": SimpleLazyObject(lambda: selectors.latest_jobs(limit=10)),
            "provinces": SimpleLazyObject(lambda: list(Province.objects.all())),
        },
    )


def _job_filters(request: HttpRequest) -> tuple[selectors.JobFilters, dict[str, str]]:
    from employment.api import JobParamsSerializer

    params = JobParamsSerializer(data=request.GET)
    if params.is_valid():
        return params.filters(), {}
    return selectors.JobFilters(), {k: str(v[0]) for k, v in params.errors.items()}


def jobs(request: HttpRequest) -> HttpResponse:
    filters, errors = _job_filters(request)
    page = selectors.job_search(filters=filters)
    next_url = ""
    if page.has_next:
        query = request.GET.copy()
        if page.next_cursor:
            query["cursor"] = page.next_cursor
        else:
            query["page"] = str(page.page + 1)
        next_url = f"?{query.urlencode()}"
    first_url = ""
    if filters.cursor or filters.page > 1:
        query = request.GET.copy()
        query.pop("cursor", None)
        query.pop("page", None)
        first_url = f"?{query.urlencode()}"
    return render(
        request,
        "employment/jobs.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "next_url": next_url,
            "first_url": first_url,
            "provinces": Province.objects.all(),
            "industries": Industry.objects.all(),
            "degrees": Degree.choices,
            "job_types": JobType.choices,
            "specialty_classes": selectors.specialty_class_choices(),
            "within_choices": [(1, _("1 day")), (7, _("7 days")), (30, _("30 days"))],
        },
    )


def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.job_detail(pk=pk)
    if found is None:
        own = access.verified_employer(request.user)
        found = (
            own.jobs.filter(pk=pk).select_related("employer", "industry", "province").first() if own else None
        )
    if found is None:
        raise Http404
    application = None
    if access.is_graduate(request.user):
        application = Application.objects.filter(job=found, graduate_id=request.user.pk).first()
    return render(
        request,
        "employment/job_detail.html",
        {
            "job": found,
            "application": application,
            "can_apply": access.is_verified_graduate(request.user),
            "is_graduate": access.is_graduate(request.user),
            "favourite": access.is_graduate(request.user)
            and selectors.is_favourite(user=request.user, job=found),
        },
    )


def employer(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.employer_public(pk=pk)
    if found is None:
        raise Http404
    return render(
        request,
        "employment/employer_detail.html",
        {"employer": found, "jobs": selectors.employer_open_jobs(employer=found)},
    )


# --- Graduates ----------------------------------------------------------------------------------------


def _graduate_only(request: HttpRequest) -> None:
    if not access.is_graduate(request.user):
        raise PermissionDenied


@login_required
def me(request: HttpRequest) -> HttpResponse:
    _graduate_only(request)
    return render(
        request,
        "employment/me.html",
        {
            "profile": access.graduate_profile(request.user),
            "intention": selectors.intention_of(user=request.user),
            "resume": selectors.resume_of(user=request.user),
            "applications": selectors.my_applications(user=request.user)[:50],
            "recommendations": selectors.recommended_jobs(user=request.user, limit=5),
            "unread": selectors.unread_count(user=request.user),
            "favourites": selectors.favourite_jobs(user=request.user),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    _graduate_only(request)
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST":
        if verify_throttled(request):
            return HttpResponse(_("Too many requests; try again in a minute."), status=429)
        if form.is_valid():
            try:
                services.graduate_verify(user=_user(request), **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("You are verified against the student-status registry."))
                return redirect("employment:me")
    return render(
        request, "employment/verify.html", {"form": form, "profile": access.graduate_profile(request.user)}
    )


@login_required
def intention(request: HttpRequest) -> HttpResponse:
    _graduate_only(request)
    current = selectors.intention_of(user=request.user)
    initial = {}
    if current is not None:
        initial = {
            "industries": list(current.industries.all()),
            "provinces": list(current.provinces.all()),
            **{
                f: getattr(current, f)
                for f in ("cities", "positions", "salary_min", "salary_max", "job_type", "available_from")
            },
        }
    form = forms.IntentionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                services.intention_save(user=_user(request), **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Your employment intention is saved."))
                return redirect("employment:me")
    return render(request, "employment/intention.html", {"form": form})


@login_required
def resume(request: HttpRequest) -> HttpResponse:
    """The résumé editor: one form per section, the rendered résumé beside it (the preview)."""
    _graduate_only(request)
    current = selectors.resume_of(user=request.user)
    initial = {f: getattr(current, f) for f in forms.ResumeForm.base_fields} if current else {}
    form = forms.ResumeForm(request.POST if request.POST.get("part") == "basics" else None, initial=initial)
    entry_form = forms.ResumeEntryForm(request.POST if request.POST.get("part") == "entry" else None)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        part = request.POST.get("part")
        try:
            if part == "basics" and form.is_valid():
                services.resume_save(user=_user(request), **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(reverse("employment:resume") + "#basics")
            if part == "entry" and entry_form.is_valid():
                services.resume_entry_add(
                    user=_user(request), data=services.EntryInput(**entry_form.cleaned_data)
                )
                messages.success(request, _("Saved."))
                return redirect(reverse("employment:resume") + "#entries")
            if part == "delete-entry":
                services.resume_entry_delete(
                    user=_user(request), entry_id=int(request.POST.get("entry", "0") or 0)
                )
                return redirect(reverse("employment:resume") + "#entries")
            if part == "consent":
                services.resume_consent_set(user=_user(request), consent=request.POST.get("consent") == "1")
                messages.success(request, _("Saved."))
                return redirect("employment:resume")
            if part == "attachment":
                attachment = forms.AttachmentForm(request.POST, request.FILES)
                if attachment.is_valid():
                    services.resume_attachment_set(
                        user=_user(request), file=attachment.cleaned_data["attachment"]
                    )
                    messages.success(request, _("Saved."))
                    return redirect("employment:resume")
                messages.error(request, " ".join(str(e) for errs in attachment.errors.values() for e in errs))
        except ValidationError as exc:
            _errors_to_form(entry_form if part == "entry" else form, exc)
            if part == "attachment":
                messages.error(request, " ".join(exc.messages))
        current = selectors.resume_of(user=request.user)
    entries = list(current.entries.all()) if current else []
    sections = [
        (value, label, [e for e in entries if e.section == value]) for value, label in ResumeSection.choices
    ]
    return render(
        request,
        "employment/resume.html",
        {
            "form": form,
            "entry_form": entry_form,
            "attachment_form": forms.AttachmentForm(),
            "resume": current,
            "sections": sections,
            "profile": access.graduate_profile(request.user),
        },
    )


@login_required
def resume_pdf(request: HttpRequest) -> HttpResponse:
    _graduate_only(request)
    current = selectors.resume_of(user=request.user)
    if current is None:
        raise Http404
    return pdf.resume_response(resume=current, profile=access.graduate_profile(request.user))


@login_required
def resume_attachment(request: HttpRequest, graduate_id: int) -> HttpResponse:
    """The PDF attachment: its owner, or an employer who may read the résumé."""
    if access.is_graduate(request.user) and request.user.pk == graduate_id:
        current = selectors.resume_of(user=request.user)
    else:
        current = access.access_resume_for_employer(request.user, graduate_id)
    if current is None or not current.attachment:
        raise Http404
    response = HttpResponse(current.attachment.open("rb").read(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attachment.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.is_verified_graduate(request.user):
        raise PermissionDenied
    if (limited := _throttled(request)) is not None:
        return limited
    target = selectors.job_detail(pk=pk)
    if target is None:
        raise Http404
    application, created = services.application_create(graduate=_user(request), job=target)
    if created:
        messages.success(request, _("Your application is sent."))
    return redirect("employment:application", pk=application.pk)


@login_required
@require_POST
def favourite(request: HttpRequest, pk: int) -> HttpResponse:
    _graduate_only(request)
    if (limited := _throttled(request)) is not None:
        return limited
    target = selectors.job_detail(pk=pk)
    if target is None:
        raise Http404
    services.favourite_set(user=_user(request), job=target, on=request.POST.get("on") == "1")
    return redirect("employment:job", pk=pk)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, seen by its graduate or by the employer: history, thread, and actions."""
    found = access.access_application(request.user, pk)
    is_employer = found.graduate_id != request.user.pk
    form = forms.MessageForm(request.POST if request.POST.get("part") == "message" else None)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        part = request.POST.get("part")
        try:
            if part == "message" and form.is_valid():
                services.message_send(
                    sender=_user(request), application=found, body=form.cleaned_data["body"]
                )
                return redirect(reverse("employment:application", args=[pk]) + "#thread")
            if part == "status" and is_employer:
                services.application_status_set(
                    actor=_user(request), application=found, status=request.POST.get("status", "")
                )
                messages.success(request, _("Status changed."))
                return redirect("employment:application", pk=pk)
            if part == "withdraw" and not is_employer:
                services.application_withdraw(graduate=_user(request), application=found)
                messages.success(request, _("Application withdrawn."))
                return redirect("employment:application", pk=pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif is_employer:
        found = services.application_viewed(actor=_user(request), application=found)
    services.messages_mark_read(reader=_user(request), application=found)
    context: dict[str, Any] = {
        "application": found,
        "history": selectors.application_history(application=found),
        "thread": selectors.application_messages(application=found),
        "form": form,
        "is_employer": is_employer,
    }
    if is_employer:
        context["resume_view"] = view = _resume_view_or_none(request, found.graduate_id)
        context["sections"] = _sections(view.resume) if view else []
        context["next_statuses"] = sorted(services.PIPELINE.get(found.status, ()))
        context["status_labels"] = dict(ApplicationStatus.choices)
    return render(request, "employment/application.html", context)


def _resume_view_or_none(request: HttpRequest, graduate_id: int) -> selectors.ResumeView | None:
    try:
        return selectors.resume_for_employer(user=request.user, graduate_id=graduate_id)
    except Http404:
        return None


# --- Employers ----------------------------------------------------------------------------------------


@login_required
def employer_home(request: HttpRequest) -> HttpResponse:
    """Register the organisation, see its review status, its jobs and the inbox."""
    if not access.is_employer_account(request.user):
        raise PermissionDenied
    own = access.employer_of(request.user)
    form = forms.EmployerForm(request.POST or None, request.FILES or None) if own is None else None
    if request.method == "POST" and form is not None:
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                services.employer_register(user=_user(request), **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Your organisation is registered and waits for review."))
                return redirect("employment:employer-home")
    verified = access.verified_employer(request.user)
    return render(
        request,
        "employment/employer_home.html",
        {
            "employer": own,
            "form": form,
            "verified": verified,
            "jobs": _page(request, selectors.employer_jobs(employer=verified)) if verified else None,
            "unread": selectors.unread_count(user=request.user) if verified else 0,
        },
    )


def _verified_employer_only(request: HttpRequest) -> None:
    if not access.is_verified_employer(request.user):
        raise PermissionDenied


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    _verified_employer_only(request)
    own = access.verified_employer(request.user)
    assert own is not None
    form = forms.JobForm(
        request.POST or None, initial={"industry": own.industry, "province": own.province, "city": own.city}
    )
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                created = services.job_create(
                    actor=_user(request), data=services.JobInput(**form.cleaned_data)
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                if created.review_flags:
                    messages.info(request, _("The job waits for an administrator's review."))
                else:
                    messages.success(request, _("The job is published."))
                return redirect("employment:job", pk=created.pk)
    return render(request, "employment/job_form.html", {"form": form})


@login_required
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one's own job; the review rules run again (an edit can send it to the administrators' queue)."""
    _verified_employer_only(request)
    own = access.access_own_job(request.user, pk)
    initial = {f: getattr(own, f) for f in forms.JobForm.base_fields}
    form = forms.JobForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            try:
                saved = services.job_update(
                    actor=_user(request), job=own, data=services.JobInput(**form.cleaned_data)
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("employment:job", pk=saved.pk)
    return render(request, "employment/job_form.html", {"form": form, "job": own})


@login_required
@require_POST
def job_close(request: HttpRequest, pk: int) -> HttpResponse:
    _verified_employer_only(request)
    services.job_close(actor=_user(request), job=access.access_own_job(request.user, pk))
    messages.success(request, _("The job is closed."))
    return redirect("employment:employer-home")


INBOX_CSV_FIELDS = ("id", "job", "status", "applied_at", "updated_at")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Applications to the employer's jobs: filters, bulk status changes and a CSV export."""
    _verified_employer_only(request)
    job_id = int(request.GET["job"]) if request.GET.get("job", "").isdigit() else None
    status = request.GET.get("status", "") if request.GET.get("status") in ApplicationStatus.values else ""
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        moved, refused = services.applications_bulk_status(
            actor=_user(request), ids=ids, status=request.POST.get("status", "")
        )
        messages.success(
            request,
            _("%(moved)d moved, %(refused)d could not move.") % {"moved": moved, "refused": len(refused)},
        )
        return HttpResponseRedirect(request.get_full_path())
    applications = selectors.inbox(user=request.user, job_id=job_id, status=status)
    if request.GET.get("format") == "csv":
        return _inbox_csv(applications)
    own = access.verified_employer(request.user)
    query = urlencode({k: v for k, v in (("job", job_id or ""), ("status", status)) if v})
    return render(
        request,
        "employment/inbox.html",
        {
            "page_obj": _page(request, applications),
            "jobs": own.jobs.order_by("-posted_at")[:200] if own else [],
            "statuses": ApplicationStatus.choices,
            "bulk_statuses": [
                (s, label) for s, label in ApplicationStatus.choices if s in services.EMPLOYER_STATUSES
            ],
            "job_id": job_id,
            "status": status,
            "query": query,
        },
    )


def _inbox_csv(applications: QuerySet[Application]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["id", "job", "graduate", "status", "applied_at", "updated_at"])
    for a in applications.iterator(chunk_size=1000):
        writer.writerow(
            [
                a.pk,
                a.job.title,
                a.graduate.first_name or a.graduate.username,
                a.get_status_display(),
                a.created_at.isoformat(),
                a.updated_at.isoformat(),
            ]
        )
    return response


@login_required
def talent(request: HttpRequest) -> HttpResponse:
    _verified_employer_only(request)
    q = request.GET.get("q", "")[:50]
    return render(
        request,
        "employment/talent.html",
        {"q": q, "page_obj": _page(request, selectors.talent_search(user=request.user, q=q))},
    )


@login_required
def talent_resume(request: HttpRequest, graduate_id: int) -> HttpResponse:
    _verified_employer_only(request)
    view = selectors.resume_for_employer(user=request.user, graduate_id=graduate_id)
    return render(
        request, "employment/talent_resume.html", {"view": view, "sections": _sections(view.resume)}
    )


def _sections(resume: Any) -> list[tuple[str, Any, list[Any]]]:
    entries = list(resume.entries.all())
    return [(v, label, [e for e in entries if e.section == v]) for v, label in ResumeSection.choices]


# --- Officers and administrators ------------------------------------------------------------------------


@login_required
def officer(request: HttpRequest) -> HttpResponse:
    """An officer sees the verified graduates of their own university only."""
    university_id = access.officer_university_id(request.user)
    if university_id is None:
        raise PermissionDenied
    return render(
        request,
        "employment/officer.html",
        {
            "summary": selectors.officer_summary(university_id=university_id),
            "page_obj": _page(request, selectors.officer_graduates(university_id=university_id)),
            "university": request.user.affiliation.institution,  # type: ignore[union-attr]
        },
    )


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """Employers of the administrator's scope waiting for review, and jobs held by the rules."""
    if not access.employers_reviewable(request.user):
        raise PermissionDenied
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        try:
            if request.POST.get("part") == "employer":
                target = access.access_employer_for_review(
                    request.user, int(request.POST.get("employer", "0") or 0)
                )
                form = forms.ReviewForm(request.POST)
                if form.is_valid():
                    services.employer_review(
                        employer=target,
                        actor=_user(request),
                        client_ip=client_ip(request),
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Decision recorded."))
            elif request.POST.get("part") == "job":
                target_job = access.access_job_for_review(
                    request.user, int(request.POST.get("job", "0") or 0)
                )
                services.job_moderate(
                    actor=_user(request), job=target_job, approve=request.POST.get("approve") == "1"
                )
                messages.success(request, _("Decision recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("employment:review")
    employers = (
        access.reviewable_employers(request.user)
        .filter(status=EmployerStatus.PENDING)
        .select_related("industry", "province")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "employment/review.html",
        {
            "page_obj": _page(request, employers),
            "flagged": selectors.flagged_jobs(user=request.user)[:50],
            "form": forms.ReviewForm(),
        },
    )


@login_required
def review_licence(request: HttpRequest, pk: int) -> HttpResponse:
    """An employer's business licence, for the administrators who may review it (and the employer)."""
    own = access.employer_of(request.user)
    target = own if own is not None and own.pk == pk else access.access_employer_for_review(request.user, pk)
    if not target.licence:
        raise Http404
    content = target.licence.open("rb").read()
    from smartedu.portal.uploads import detect

    kind = detect(content)
    response = HttpResponse(content, content_type=kind.mime if kind else "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="licence.{kind.extension if kind else "bin"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """Administrators import the student-status registry and follow each import's progress."""
    if not access.registry_importable(request.user):
        raise PermissionDenied
    form = forms.RegistryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            done = services.registry_import(actor=_user(request), text=text, client_ip=client_ip(request))
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(bad)d bad rows.")
                % {"created": done.created, "updated": done.updated, "bad": len(done.errors)},
            )
            return redirect("employment:registry")
    return render(
        request,
        "employment/registry.html",
        {"form": form, "imports": selectors.registry_imports(user=request.user)[:20]},
    )
