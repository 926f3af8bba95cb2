"""Fair pages: the list, a fair's page (live figures, employers and their jobs, applying while it runs,
an employer's registration), and the organisers' approval page. Thin: each calls one service."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment import access as employment_access
from employment.fairs import access, selectors, services
from employment.fairs.forms import FairForm
from employment.fairs.models import FairKind, FairState, RegistrationStatus
from employment.models import Job
from employment.throttles import write_throttled
from smartedu.accounts.models import User

PAGE_SIZE = 20


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    return None


def _first_error(exc: ValidationError) -> str:
    return " ".join(
        str(m) for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values() for m in messages_
    )


def fair_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    state = state if state in FairState.values else ""
    kind = kind if kind in FairKind.values else ""
    page = Paginator(selectors.fair_list(state=state, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employment_fairs/list.html",
        {
            "page_obj": page,
            "state": state,
            "kind": kind,
            "states": FairState.choices,
            "kinds": FairKind.choices,
            "query": urlencode({k: v for k, v in (("state", state), ("kind", kind)) if v}),
            "can_manage": access.fairs_creatable(request.user),
        },
    )


def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fair = selectors.fair_detail(pk=pk)
    if fair is None:
        raise Http404
    participants = selectors.fair_participants(fair=fair)
    applied: dict[int, int] = {}
    if employment_access.is_graduate(request.user):
        applied = selectors.applied_job_ids(
            graduate=request.user, jobs=[job for p in participants for job in p.jobs]
        )
    for participant in participants:
        for job in participant.jobs:
            job.applied_id = applied.get(job.pk)  # type: ignore[attr-defined]
    employer = employment_access.verified_employer(request.user)
    registration = selectors.own_registration(fair=fair, employer=employer)
    own_jobs: list[Job] = []
    attached: set[int] = set()
    if employer is not None and fair.state() != FairState.PAST:
        own_jobs = list(Job.objects.visible().filter(employer=employer).order_by("-posted_at")[:50])
        attached = {row.job_id for row in registration.jobs.all()} if registration else set()
    return render(
        request,
        "employment_fairs/detail.html",
        {
            "fair": fair,
            "state": fair.state(),
            "participants": participants,
            "can_apply": access.fair_applicable(request.user) and fair.is_running,
            "is_graduate": employment_access.is_graduate(request.user),
            "registration": registration,
            "own_jobs": own_jobs,
            "attached": attached,
            "can_manage": access.fair_manageable(request.user, fair),
        },
    )


@login_required
@require_POST
def fair_apply(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    if not access.fair_applicable(request.user):
        raise PermissionDenied
    if (limited := _throttled(request)) is not None:
        return limited
    fair = selectors.fair_detail(pk=pk)
    job = services.fair_job_open(fair=fair, job_id=job_id) if fair else None
    if fair is None or job is None:
        raise Http404
    try:
        application, created = services.fair_apply(graduate=cast(User, request.user), fair=fair, job=job)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect("employment:fairs-detail", pk=pk)
    if created:
        messages.success(request, _("Your application is sent."))
    return redirect("employment:application", pk=application.pk)


@login_required
@require_POST
def fair_register(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.fair_registrable(request.user):
        raise PermissionDenied
    if (limited := _throttled(request)) is not None:
        return limited
    fair = selectors.fair_detail(pk=pk)
    if fair is None:
        raise Http404
    ids = [int(v) for v in request.POST.getlist("jobs") if v.isdigit()]
    jobs = list(Job.objects.filter(pk__in=ids))
    try:
        _registration, created = services.fair_register(actor=cast(User, request.user), fair=fair, jobs=jobs)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request,
            _("Your registration is sent to the organisers.")
            if created
            else _("Your registration is updated."),
        )
    return redirect("employment:fairs-detail", pk=pk)


@login_required
def fair_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisers' page: the registrations, approved or declined one by one."""
    fair = access.access_fair_for_manage(request.user, pk)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        registration_id = request.POST.get("registration", "")
        registration = access.access_registration_for_decision(
            request.user, fair, int(registration_id) if registration_id.isdigit() else 0
        )
        try:
            services.registration_decide(
                actor=cast(User, request.user),
                registration=registration,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, _first_error(exc))
        return redirect("employment:fairs-manage", pk=pk)
    registrations = selectors.fair_registrations(registrations=fair.registrations.all())
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "employment_fairs/manage.html",
        {"fair": fair, "page_obj": page, "statuses": RegistrationStatus, "state": fair.state()},
    )


@login_required
def fair_new(request: HttpRequest) -> HttpResponse:
    """An organiser creates a fair (an administrator in its scope, an officer for its university)."""
    if not access.fairs_creatable(request.user):
        raise PermissionDenied
    form = FairForm(request.POST or None)
    if request.method == "POST":
        if (limited := _throttled(request)) is not None:
            return limited
        if form.is_valid():
            data = form.cleaned_data
            try:
                fair = services.fair_create(
                    actor=cast(User, request.user),
                    data=services.FairInput(
                        title=data["title"],
                        kind=data["kind"],
                        sector=data["sector"],
                        industry=data["industry"],
                        province=data["province"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        organisers=list(data["organisers"]),
                        description=data["description"],
                    ),
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("The fair is created; employers can register now."))
                return redirect("employment:fairs-manage", pk=fair.pk)
    return render(request, "employment_fairs/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def fair_mine(request: HttpRequest) -> HttpResponse:
    """The fairs an administrator or officer organises."""
    if not access.fairs_creatable(request.user):
        raise PermissionDenied
    fairs = access.manageable_fairs(request.user).select_related("industry", "province")
    page = Paginator(fairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "employment_fairs/mine.html", {"page_obj": page})
