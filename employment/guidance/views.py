"""Career guidance pages: assessments and result profiles, the encyclopedia, cases, live and training
courses, key guidance, articles, quality reports and the counted links to employment sites. Thin views;
forms work without JavaScript; writes are rate-limited per client address."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from employment.guidance import access, selectors, services
from employment.guidance.models import (
    ArticleCategory,
    Destination,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    LiveRegistration,
    ProgramKind,
    TrainingCourse,
)
from employment.throttles import write_throttled
from smartedu.accounts.models import User
from smartedu.institutions.models import Institution
from smartedu.portal.client import client_ip

PAGE_SIZE = 20


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    return None


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _choice(request: HttpRequest, name: str, allowed: Any) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment_guidance/home.html",
        {
            "assessments": selectors.assessment_list()[:6],
            "upcoming": selectors.live_list(when="upcoming")[:3],
            "articles": selectors.article_list()[:5],
            "programs": selectors.program_list()[:6],
        },
    )


# --- Assessments ---------------------------------------------------------------------------------------


def assessments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment_guidance/assessments.html",
        {
            "page_obj": _page(request, selectors.assessment_list()),
            "can_take": access.assessment_takable(request.user),
        },
    )


def assessment_take(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_detail(pk=pk)
    if assessment is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    answers: dict[str, str] = {}
    if request.method == "POST":
        if not access.assessment_takable(request.user):
            raise PermissionDenied
        if (limited := _throttled(request)) is not None:
            return limited
        answers = {key[2:]: request.POST.get(key, "") for key in request.POST if key.startswith("q-")}
        try:
            submission, _created = services.submission_create(
                user=_user(request),
                assessment=assessment,
                answers=answers,
                token=request.POST.get("token", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("employment:guidance-result", pk=submission.pk)
    missing = {int(n) for n in errors.get("missing", [])}
    return render(
        request,
        "employment_guidance/take.html",
        {
            "assessment": assessment,
            "questions": assessment.questions.all(),
            "scale": [(int(v), label) for v, label in assessment.scale],
            "answers": {int(k): int(v) for k, v in answers.items() if k.isdigit() and v.isdigit()},
            "missing": missing,
            "error": " ".join(errors.get("answers", [])),
            "token": uuid.uuid4().hex,
            "can_take": access.assessment_takable(request.user),
        },
        status=400 if errors else 200,
    )


@login_required
def results(request: HttpRequest) -> HttpResponse:
    if not access.results_openable(request.user):
        raise PermissionDenied
    return render(
        request,
        "employment_guidance/results.html",
        {
            "mine": selectors.my_submissions(user=request.user)[:50],
            "shared": _page(request, selectors.shared_with(user=request.user)),
        },
    )


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access.access_submission(request.user, pk)
    own = submission.user_id == request.user.pk
    if request.method == "POST":
        if not own:
            raise Http404
        if (limited := _throttled(request)) is not None:
            return limited
        recipient = User.objects.filter(pk=request.POST.get("recipient") or 0).first()
        try:
            if recipient is None:
                raise ValidationError({"recipient": [_("Choose whom to share with.")]})
            services.submission_share(graduate=_user(request), submission=submission, recipient=recipient)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your result is shared."))
        return redirect("employment:guidance-result", pk=pk)
    return render(
        request,
        "employment_guidance/result.html",
        {
            "submission": submission,
            "profile": services.submission_profile(submission=submission),
            "own": own,
            "recipients": access.share_recipients(request.user) if own else [],
            "shares": submission.shares.select_related("recipient") if own else [],
        },
    )


# --- Content -------------------------------------------------------------------------------------------


def encyclopedia(request: HttpRequest) -> HttpResponse:
    categories = selectors.encyclopedia_categories()
    category = _choice(request, "category", categories)
    q = request.GET.get("q", "")[:50]
    return render(
        request,
        "employment_guidance/encyclopedia.html",
        {
            "page_obj": _page(request, selectors.encyclopedia_list(category=category, q=q)),
            "categories": categories,
            "category": category,
            "q": q,
            "query": urlencode({k: v for k, v in (("category", category), ("q", q)) if v}),
        },
    )


def encyclopedia_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = EncyclopediaEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    return render(request, "employment_guidance/entry.html", {"entry": entry})


def cases(request: HttpRequest) -> HttpResponse:
    destination = _choice(request, "destination", Destination.values)
    q = request.GET.get("q", "")[:50]
    return render(
        request,
        "employment_guidance/cases.html",
        {
            "page_obj": _page(request, selectors.case_list(destination=destination, q=q)),
            "destinations": Destination.choices,
            "destination": destination,
            "q": q,
            "query": urlencode({k: v for k, v in (("destination", destination), ("q", q)) if v}),
        },
    )


def case(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.case_list().filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "employment_guidance/case.html", {"case": found})


def live_courses(request: HttpRequest) -> HttpResponse:
    when = _choice(request, "when", ("upcoming", "replay"))
    return render(
        request,
        "employment_guidance/live_list.html",
        {
            "page_obj": _page(request, selectors.live_list(when=when)),
            "when": when,
            "query": urlencode({"when": when}) if when else "",
        },
    )


def live_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = LiveCourse.objects.filter(pk=pk).first()
    if course is None:
        raise Http404
    if request.method == "POST":
        if not access.live_registrable(request.user):
            return redirect(f"/accounts/login/?next={request.path}")
        if (limited := _throttled(request)) is not None:
            return limited
        try:
            services.live_register(user=_user(request), course=course)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are registered; we will remind you before it starts."))
        return redirect("employment:guidance-live", pk=pk)
    registered = (
        request.user.is_authenticated
        and LiveRegistration.objects.filter(course=course, user_id=request.user.pk).exists()
    )
    return render(
        request,
        "employment_guidance/live.html",
        {"course": course, "registered": registered, "over": course.starts_at < timezone.now()},
    )


def training_courses(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment_guidance/training_list.html",
        {"page_obj": _page(request, selectors.training_list())},
    )


def training_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = TrainingCourse.objects.filter(pk=pk).first()
    if course is None:
        raise Http404
    if request.method == "POST":
        if not access.training_enrollable(request.user):
            raise PermissionDenied
        if (limited := _throttled(request)) is not None:
            return limited
        lesson = request.POST.get("lesson", "")
        try:
            if lesson:
                services.training_lesson_complete(
                    user=_user(request), course=course, lesson_number=int(lesson) if lesson.isdigit() else 0
                )
            else:
                services.training_enrol(user=_user(request), course=course)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("employment:guidance-training", pk=pk)
    return render(
        request,
        "employment_guidance/training.html",
        {
            "course": course,
            "lessons": course.lessons.all(),
            "progress": selectors.training_progress(user=request.user, course=course),
            "can_enrol": access.training_enrollable(request.user),
        },
    )


def programs(request: HttpRequest) -> HttpResponse:
    kind = _choice(request, "kind", ProgramKind.values)
    return render(
        request,
        "employment_guidance/programs.html",
        {"programs": selectors.program_list(kind=kind), "kinds": ProgramKind.choices, "kind": kind},
    )


def program(request: HttpRequest, pk: int) -> HttpResponse:
    found = KeyProgram.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "employment_guidance/program.html", {"program": found})


def articles(request: HttpRequest) -> HttpResponse:
    category = _choice(request, "category", ArticleCategory.values)
    tag = request.GET.get("tag", "")[:20]
    q = request.GET.get("q", "")[:50]
    return render(
        request,
        "employment_guidance/articles.html",
        {
            "page_obj": _page(request, selectors.article_list(category=category, tag=tag, q=q)),
            "categories": ArticleCategory.choices,
            "category": category,
            "tag": tag,
            "q": q,
            "query": urlencode({k: v for k, v in (("category", category), ("tag", tag), ("q", q)) if v}),
        },
    )


def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.article_list().filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "employment_guidance/article.html", {"article": found})


def reports(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    uploadable = access.reports_uploadable(request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not uploadable:
            raise PermissionDenied
        if (limited := _throttled(request)) is not None:
            return limited
        university = (
            access.reportable_universities(request.user)
            .filter(pk=request.POST.get("university") or 0)
            .first()
        )
        year = request.POST.get("year", "")
        try:
            if university is None:
                raise ValidationError({"university": [_("Choose one of your universities.")]})
            if "file" not in request.FILES:
                raise ValidationError({"file": [_("Choose the report's PDF.")]})
            services.report_upload(
                actor=_user(request),
                university=university,
                year=int(year) if year.isdigit() else 0,
                title=request.POST.get("title", ""),
                file=cast(UploadedFile, request.FILES["file"]),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The report is published."))
            return redirect("employment:guidance-reports")
    universities: Any = (
        access.reportable_universities(request.user)[:500] if uploadable else Institution.objects.none()
    )
    return render(
        request,
        "employment_guidance/reports.html",
        {
            "page_obj": _page(request, selectors.report_list(q=q)),
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "uploadable": uploadable,
            "universities": universities,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def sites(request: HttpRequest) -> HttpResponse:
    return render(request, "employment_guidance/sites.html", {"sites": selectors.site_list()})


@require_GET
def site_go(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a registered employment site's link, counting the click. Only registered addresses: the
    target comes from the database, never from the request (no open redirect)."""
    site = services.site_follow(site_id=pk, client=client_ip(request))
    if site is None:
        raise Http404
    response = HttpResponseRedirect(site.url)
    response["Cache-Control"] = "no-store"
    return response
