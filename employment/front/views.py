"""Pages of the employment front: thin, each a guard from ``access``, one service or selector, and a page.

Forms work without JavaScript; the dashboard's charts are drawn by the statistics dashboards' script from
the tables the page already carries. Writes are rate-limited per client address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment.front import access, forms, presenters, selectors, services
from employment.front.models import DirectiveAttachment, FieldKind
from employment.throttles import write_throttled
from smartedu.accounts.models import Role, User
from smartedu.stats.exports import table_csv

PAGE_SIZE = 20
View = TypeVar("View", bound=Callable[..., HttpResponse])


def _guard(allowed: Callable[[object], bool]) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in users without the right get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            if request.method == "POST" and write_throttled(request):
                return HttpResponse(_("Too many requests; try again in a minute."), status=429)
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def _page(request: HttpRequest, items: Any, name: str = "page") -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(name))


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, errors)


# --- Progress ---------------------------------------------------------------------------------------------


@_guard(access.progress_openable)
def progress(request: HttpRequest) -> HttpResponse:
    scope = access.progress_scope(request.user)
    assert scope is not None  # the guard let only viewers with a scope in
    data = selectors.progress(scope=scope)
    panel = presenters.progress_panel(data)
    export = request.GET.get("export")
    if export:
        for table in panel.tables:
            if table.key == export:
                return table_csv(table, f"progress-{table.key}.csv")
        raise Http404(_("No such table."))
    context: dict[str, Any] = {
        "data": data,
        "tables": panel.tables,
        "charts_json": {c.key: c.as_json() for c in panel.charts},
        "query": "",
        "employment_rate": selectors.rate(data.totals.get("employed"), data.totals.get("graduates")),
    }
    if scope.lists_graduates:
        context["no_application"] = _page(
            request, selectors.graduates_without_application(user=request.user), "np"
        )
        context["needing_help"] = _page(request, selectors.graduates_needing_help(user=request.user), "hp")
        context["everyone"] = _page(request, selectors.graduates_of_scope(user=request.user), "ap")
    return render(request, "employment_front/progress.html", context)


@require_POST
@_guard(access.support_settable)
def support(request: HttpRequest, pk: int) -> HttpResponse:
    graduate = access.access_graduate_for_support(request.user, pk)
    form = forms.SupportForm(request.POST)
    if form.is_valid():
        services.graduate_support_set(actor=_user(request), graduate=graduate, **form.cleaned_data)
        messages.success(request, _("Saved: %(name)s.") % {"name": graduate.name})
    else:
        messages.error(request, _("The note is too long."))
    return redirect("employment:front-progress")


# --- Counsellors (an officer's page) ---------------------------------------------------------------------


@_guard(access.counsellors_assignable)
def counsellors(request: HttpRequest) -> HttpResponse:
    university_id = access.officer_university_id(request.user)
    people = (
        User.objects.filter(
            role=Role.COUNSELLOR, affiliation__institution_id=university_id or 0, is_active=True
        )
        .select_related("counsellor_assignment__graduating_class")
        .order_by("username")
    )
    form = forms.CounsellorAssignForm(request.POST or None)
    if request.method == "POST":
        counsellor = people.filter(pk=int(request.POST.get("counsellor") or 0)).first()
        if counsellor is None:
            raise Http404
        if form.is_valid():
            try:
                services.counsellor_assign(actor=_user(request), counsellor=counsellor, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Class assigned."))
                return redirect("employment:front-counsellors")
    return render(
        request, "employment_front/counsellors.html", {"page_obj": _page(request, people), "form": form}
    )


# --- Directives -------------------------------------------------------------------------------------------


@_guard(access.directives_sendable)
def directives(request: HttpRequest) -> HttpResponse:
    """The administrator's sent directives, and the form that sends one."""
    form = forms.DirectiveForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                directive = services.directive_send(
                    sender=_user(request),
                    title=data["title"],
                    body=data["body"],
                    audience=data["audience"],
                    province=data.get("province"),
                    university=data.get("university"),
                    urgent=data["urgent"],
                    attachments=data["attachments"],
                    client_token=data["client_token"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Sent to %(n)d officers and counsellors; delivery is under way.")
                    % {"n": directive.recipient_count},
                )
                return redirect("employment:front-directive", pk=directive.pk)
        status = 400
    return render(
        request,
        "employment_front/directives.html",
        {"form": form, "page_obj": _page(request, selectors.sent(user=request.user))},
        status=status,
    )


@_guard(access.directives_sendable)
def directive(request: HttpRequest, pk: int) -> HttpResponse:
    """Read receipts: how many read and acknowledged, and who has not read it yet (paginated)."""
    sent = access.access_sent_directive(request.user, pk)
    show = request.GET.get("show", "unread")
    read = {"unread": False, "read": True}.get(show)
    return render(
        request,
        "employment_front/directive.html",
        {
            "directive": sent,
            "receipts": selectors.receipts(directive=sent),
            "show": show if show in ("unread", "read") else "all",
            "page_obj": _page(request, selectors.deliveries(directive=sent, read=read)),
            "query": f"show={show}",
        },
    )


@_guard(access.inbox_openable)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment_front/inbox.html",
        {
            "page_obj": _page(request, selectors.inbox(user=request.user)),
            "unread": selectors.unread_count(request.user),
        },
    )


@_guard(access.inbox_openable)
def inbox_directive(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a directive marks it read; an urgent one is acknowledged with the button."""
    delivery = access.access_delivery(request.user, pk)
    if request.method == "POST":
        services.directive_acknowledge(delivery=delivery)
        messages.success(request, _("Acknowledged."))
        return redirect("employment:front-inbox-directive", pk=pk)
    services.directive_read(delivery=delivery)
    return render(
        request,
        "employment_front/inbox_directive.html",
        {
            "delivery": delivery,
            "directive": delivery.directive,
            "attachments": delivery.directive.attachments.all(),
        },
    )


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An attachment, to the directive's sender and recipients only (404 to anyone else)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = DirectiveAttachment.objects.select_related("directive").filter(pk=pk).first()
    if item is None or not access.attachment_readable(request.user, item.directive):
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


# --- Surveys ----------------------------------------------------------------------------------------------


@_guard(access.surveys_openable)
def surveys(request: HttpRequest) -> HttpResponse:
    if access.surveys_manageable(request.user):
        rows = selectors.surveys_for_manage(user=request.user)
    else:
        rows = selectors.surveys_for_answer(user=request.user)
    return render(
        request,
        "employment_front/surveys.html",
        {"page_obj": _page(request, rows), "manager": access.surveys_manageable(request.user)},
    )


@_guard(access.surveys_manageable)
def survey_new(request: HttpRequest) -> HttpResponse:
    form = forms.SurveyForm(request.POST or None)
    formset = forms.SurveyFieldFormSet(request.POST or None, prefix="fields")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = [
            services.FieldInput(
                label=f.cleaned_data.get("label", ""),
                kind=f.cleaned_data.get("kind", FieldKind.TEXT),
                choices=list(f.cleaned_data.get("choices", "").replace("，", ",").split(",")),
                required=bool(f.cleaned_data.get("required")),
            )
            for f in formset.forms
            if f.cleaned_data.get("label")
        ]
        try:
            survey = services.survey_create(author=_user(request), fields=fields, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The survey is open to the universities."))
            return redirect("employment:front-survey", pk=survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "employment_front/survey_new.html", {"form": form, "formset": formset}, status=status
    )


@_guard(access.surveys_openable)
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: totals, who answered and who has not, closing. Officers: their university's answer."""
    if access.surveys_manageable(request.user):
        item = access.access_survey_for_manage(request.user, pk)
        if request.method == "POST":
            services.survey_close(actor=_user(request), survey=item)
            messages.success(request, _("The survey is closed."))
            return redirect("employment:front-survey", pk=pk)
        return render(
            request,
            "employment_front/survey_results.html",
            {
                "survey": item,
                "totals": selectors.survey_totals(survey=item),
                "page_obj": _page(request, selectors.survey_responses(survey=item)),
                "unanswered": _page(request, selectors.survey_unanswered(survey=item), "up"),
                "fields": list(item.fields.all()),
            },
        )
    item = access.access_survey_for_answer(request.user, pk)
    university_id = access.officer_university_id(request.user)
    existing = item.responses.filter(university_id=university_id).first()
    form = forms.answer_form(item, data=request.POST or None, initial=existing.answers if existing else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_answer(actor=_user(request), survey=item, answers=form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Your university's answer is saved."))
                return redirect("employment:front-survey", pk=pk)
        status = 400
    return render(
        request,
        "employment_front/survey_answer.html",
        {"survey": item, "form": form, "existing": existing, "editable": item.is_open},
        status=status,
    )
