"""Higher-education pages: thin views that read through selectors, write through services and render.

Every choice of the catalogue is in the URL (facet links, a GET form for keyword and order), so the pages
work without JavaScript; ``typeahead.js`` only adds suggestions to the search box.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from higher_ed import access, rules, selectors, services
from higher_ed.filters import ORDERING_CHOICES, CatalogueParamsSerializer, MonitoringParamsSerializer
from higher_ed.forms import EnrolForm, PlatformSwitchForm, ProgressForm
from higher_ed.models import Enrollment, RunStatus
from higher_ed.throttles import write_throttled
from smartedu.accounts.models import User
from smartedu.portal.client import client_ip
from smartedu.portal.fragments import cached_block
from smartedu.portal.pdf import render_pdf

PAGE_SIZE = 20
SIDEBAR_UNIVERSITIES = 12


def _page(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- Course cards (lists of courses) ----------------------------------------------------------------


@dataclass(frozen=True)
class CourseCard:
    """A course as a list shows it, prepared in one pass (a list page renders twenty of them)."""

    pk: int
    title: str
    url: str
    university: str
    university_url: str
    teachers: list[tuple[str, str]]
    meta: str
    flags: list[tuple[str, str]]


def _pk_url(name: str) -> Any:
    """``pk → url`` for a pattern ending in ``<int:pk>/``: one ``reverse`` for a whole list."""
    prefix = reverse(name, args=[0]).removesuffix("0/")
    return lambda pk: f"{prefix}{pk}/"


def course_cards(courses: Any) -> list[CourseCard]:
    course_url = _pk_url("higher_ed:course")
    university_url = _pk_url("higher_ed:university")
    teacher_url = _pk_url("higher_ed:teacher")
    cards = []
    for course in courses:
        flags = []
        if course.first_class:
            flags.append(("he-flag-first", _("National first-class")))
        if course.credit:
            flags.append(("he-flag-credit", _("%(credits)s credits") % {"credits": course.credits}))
        if course.international:
            flags.append(("he-flag-intl", _("International")))
        n = course.enrollment_count
        flags.append(("muted", ngettext("%(n)s enrolment", "%(n)s enrolments", n) % {"n": n}))
        discipline = course.category.name
        if course.specialty_class_id:
            discipline = f"{discipline} › {course.specialty_class.name}"
        cards.append(
            CourseCard(
                pk=course.pk,
                title=course.title,
                url=course_url(course.pk),
                university=course.university.name,
                university_url=university_url(course.university_id),
                teachers=[
                    (ct.teacher.name, teacher_url(ct.teacher_id))
                    for ct in getattr(course, "ordered_teachers", [])
                ],
                meta=" · ".join([course.platform.name, discipline, "、".join(course.language_labels)]),
                flags=flags,
            )
        )
    return cards


# --- The catalogue ------------------------------------------------------------------------------------

FACET_LABELS = {
    "category": gettext_lazy("Discipline category"),
    "specialty_class": gettext_lazy("Specialty class"),
    "university": gettext_lazy("University"),
    "platform": gettext_lazy("Platform"),
    "language": gettext_lazy("Language"),
    "first_class": gettext_lazy("National first-class"),
    "credit": gettext_lazy("Credit course"),
    "international": gettext_lazy("International"),
    "status": gettext_lazy("Run status"),
    "q": gettext_lazy("Keyword"),
    "ordering": gettext_lazy("Order by"),
}


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    links: list[FacetLink]
    clear_url: str


Pairs = list[tuple[str, str]]


def _query_without(params: QueryDict | Pairs, *names: str) -> Pairs:
    """The address's parameters in their order, without ``names`` and the page number."""
    pairs = (
        [(k, v) for k, values in params.lists() for v in values] if isinstance(params, QueryDict) else params
    )
    dropped = {*names, "page"}
    return [(k, v) for k, v in pairs if k not in dropped]


def _url(pairs: Pairs) -> str:
    encoded = urlencode(pairs)
    return f"?{encoded}" if encoded else "?"


def _facet_url(pairs: Pairs, facet: str, value: str, selected: bool) -> str:
    # A new category empties the class choice, which belongs to the old one.
    query = _query_without(pairs, facet, *(("specialty_class",) if facet == "category" else ()))
    if not selected:
        query.append((facet, value))
    return _url(query)


def _sidebar(params: QueryDict, facets: dict[str, list[selectors.FacetValue]]) -> list[FacetGroup]:
    pairs = _query_without(params)
    groups = []
    for name, values in facets.items():
        if name == "specialty_class" and not (params.get("category") or params.get("specialty_class")):
            continue  # classes are offered under the category chosen
        if name == "university":
            values = values[:SIDEBAR_UNIVERSITIES] + [v for v in values[SIDEBAR_UNIVERSITIES:] if v.selected]
        links = [
            FacetLink(v.label, v.count, v.selected, _facet_url(pairs, name, v.value, v.selected))
            for v in values
        ]
        groups.append(
            FacetGroup(
                name=name,
                label=str(FACET_LABELS[name]),
                links=links,
                clear_url=_url(
                    _query_without(pairs, name, *(("specialty_class",) if name == "category" else ()))
                ),
            )
        )
    return groups


def _errors(errors: dict[str, Any]) -> list[str]:
    shown = []
    for name, messages_ in errors.items():
        label = FACET_LABELS.get(name, name)
        for message in messages_ if isinstance(messages_, list) else [messages_]:
            shown.append(f"{label}: {message}")
    return shown


def _catalogue_body(request: HttpRequest, context: dict[str, Any]) -> str:
    return render_to_string("higher_ed/includes/catalogue_body.html", context, request=request)


def index(request: HttpRequest) -> HttpResponse:
    """The catalogue: facet sidebar with counts, keyword, four orders, and the matching courses."""

    def body() -> tuple[str, int]:
        params = CatalogueParamsSerializer(data=request.GET)
        if not params.is_valid():
            errors = {
                "errors": _errors(params.errors),
                "orderings": ORDERING_CHOICES,
                "clear_url": "?",
                "disciplines": selectors.disciplines(),
            }
            return _catalogue_body(request, errors), 400
        query = params.query()
        page = _page(request, selectors.course_search(query=query, index=params.index))
        facets = selectors.facet_counts(query=query, index=params.index)
        context = {
            "page_obj": page,
            "courses": course_cards(page.object_list),
            "sidebar": _sidebar(request.GET, facets),
            "query": query,
            "q": query.q,
            "ordering": params.validated_data.get("ordering") or "",
            "orderings": ORDERING_CHOICES,
            "hidden_params": [(k, v) for k, v in request.GET.items() if k not in ("q", "ordering", "page")],
            "page_query": _url(_query_without(request.GET)).lstrip("?"),
            "chosen": bool(query.chosen() or query.q),
            "disciplines": selectors.disciplines(),
            "clear_url": "?",
        }
        return _catalogue_body(request, context), 200

    # Everything but the header is the same for every visitor at this address: one cached block per address
    # and content generation, which every write changing the catalogue's lists or counts moves on
    # (``catalogue.catalogue_changed``); a hit validates nothing and reads nothing. Enrolment counts on the
    # cards are a minute old at most. An address that does not validate is answered, never kept.
    html, status = cached_block(
        name="higher_ed.catalogue",
        vary=[request.GET.urlencode()],
        render=body,
        request=request,
        timeout=60,
        keep=lambda answer: answer[1] == 200,
    )
    catalogue_body = mark_safe(html)  # noqa: S308 (rendered by the template engine)
    return render(request, "higher_ed/catalogue.html", {"catalogue_body": catalogue_body}, status=status)


# --- Course pages -------------------------------------------------------------------------------------


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The course and its runs, the same for every visitor: read once per content generation (a minute at
    # most, for its view count), then from the cache (smartedu/portal/fragments.py).
    course = cached_block(
        name="higher_ed.course",
        vary=[pk],
        render=lambda: selectors.course_page_get(pk=pk),
        request=request,
        timeout=60,
        keep=lambda found: found is not None,
    )
    if course is None:
        raise Http404
    runs = list(course.runs.all())
    enrolled = selectors.enrollments_of(user=request.user, course=course)
    enrollable = [run for run in runs if run.status != RunStatus.ARCHIVED and run.pk not in enrolled]
    return render(
        request,
        "higher_ed/course_detail.html",
        {
            "object": course,
            "course": course,
            "runs": runs,
            # Teachers, syllabus and similar courses are in cached blocks of the page: read to render them.
            "units": SimpleLazyObject(lambda: selectors.course_units(course=course)),
            "teachers": SimpleLazyObject(lambda: selectors.course_teachers(course=course)),
            "enrolled": enrolled,
            "enrollable": enrollable,
            "can_enrol": access.enrollment_allowed(request.user),
            "similar": SimpleLazyObject(lambda: selectors.course_similar(course=course)),
        },
    )


def course_source(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave for the course on its platform, counting the click; only to the platform's registered host."""
    course = selectors.course_source_get(pk=pk)
    if course is None or not services.source_url_valid(url=course.source_url, platform=course.platform):
        raise Http404
    services.source_click_record(course=course, client=client_ip(request))
    return HttpResponseRedirect(course.source_url)


@login_required
@require_POST
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_detail_get(pk=pk)
    if course is None:
        raise Http404
    if not access.enrollment_allowed(request.user):
        raise PermissionDenied
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    form = EnrolForm(request.POST, runs=course.runs.all())
    if not form.is_valid():
        messages.error(request, _("Choose one of the course's runs."))
        return redirect("higher_ed:course", pk=course.pk)
    try:
        enrollment, created = services.enrollment_create(
            user=cast(User, request.user), run=form.cleaned_data["run"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("higher_ed:course", pk=course.pk)
    if created:
        messages.success(request, _("You are enrolled. Progress is saved unit by unit."))
    return redirect("higher_ed:enrollment", pk=enrollment.pk)


# --- Universities, teachers, platforms ---------------------------------------------------------------


def university_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.university_list(), per_page=60)
    return render(
        request, "higher_ed/university_list.html", {"page_obj": page, "universities": page.object_list}
    )


def university_detail(request: HttpRequest, pk: int) -> HttpResponse:
    university = selectors.university_get(pk=pk)
    if university is None:
        raise Http404
    query = selectors.CatalogueQuery(university=university.pk, ordering="hot")
    page = _page(request, selectors.course_search(query=query))
    return render(
        request,
        "higher_ed/university_detail.html",
        {
            "object": university,
            "university": university,
            "page_obj": page,
            "courses": course_cards(page.object_list),
        },
    )


def teacher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = selectors.teacher_get(pk=pk)
    if teacher is None:
        raise Http404
    page = _page(request, selectors.teacher_courses(teacher=teacher))
    return render(
        request,
        "higher_ed/teacher_detail.html",
        {"object": teacher, "teacher": teacher, "page_obj": page, "courses": course_cards(page.object_list)},
    )


def teacher_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.teacher_list(), per_page=60)
    return render(request, "higher_ed/teacher_list.html", {"page_obj": page, "teachers": page.object_list})


def platform_list(request: HttpRequest) -> HttpResponse:
    return render(request, "higher_ed/platform_list.html", {"platforms": list(selectors.platform_list())})


def platform_detail(request: HttpRequest, code: str) -> HttpResponse:
    platform = selectors.platform_get(code=code)
    if platform is None:
        raise Http404
    query = selectors.CatalogueQuery(platform=platform.pk, ordering="hot")
    page = _page(request, selectors.course_search(query=query))
    return render(
        request,
        "higher_ed/platform_detail.html",
        {"platform": platform, "page_obj": page, "courses": course_cards(page.object_list)},
    )


def _guard(request: HttpRequest, allowed: bool) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed:
        raise PermissionDenied
    return None


def platforms_manage(request: HttpRequest) -> HttpResponse:
    """Every platform with its switch and log, for administrators; ministry administrators switch."""
    refused = _guard(request, access.switch_log_readable(request.user))
    if refused is not None:
        return refused
    form = None
    if request.method == "POST":
        if not access.platform_switchable(request.user):
            raise PermissionDenied
        if write_throttled(request):
            return HttpResponse(_("Too many requests; try again in a minute."), status=429)
        form = PlatformSwitchForm(request.POST)
        if form.is_valid():
            try:
                platform = services.platform_switch(
                    platform=form.cleaned_data["platform"],
                    enabled=form.cleaned_data["enabled"],
                    reason=form.cleaned_data["reason"],
                    by=cast(User, request.user),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("reason", message)
            else:
                text = _("%(name)s is switched on.") if platform.enabled else _("%(name)s is switched off.")
                messages.success(request, text % {"name": platform.name})
                return redirect("higher_ed:platforms-manage")
    return render(
        request,
        "higher_ed/platforms_manage.html",
        {
            "platforms": selectors.platform_manage_list(),
            "log": selectors.platform_switch_log(),
            "can_switch": access.platform_switchable(request.user),
            "form": form,
        },
        status=400 if form is not None else 200,
    )


# --- Learners -----------------------------------------------------------------------------------------


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.my_enrollments(user=request.user))
    return render(request, "higher_ed/my_courses.html", {"page_obj": page, "enrollments": page.object_list})


def _study(
    request: HttpRequest, enrollment: Enrollment, *, form: ProgressForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "higher_ed/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "rows": selectors.enrollment_units(enrollment=enrollment),
            "form": form,
            "can_progress": enrollment.run.status == RunStatus.OPEN,
        },
        status=status,
    )


@login_required
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _study(request, access.access_enrollment(request.user, pk))


@login_required
@require_POST
def enrollment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = access.access_enrollment(request.user, pk)
    if write_throttled(request):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    form = ProgressForm(request.POST, course_id=enrollment.course_id)
    if form.is_valid():
        try:
            services.progress_record(
                enrollment=enrollment,
                data=services.ProgressInput(
                    unit=form.cleaned_data["unit"],
                    video_percent=form.cleaned_data["video_percent"],
                    quizzes_done=form.cleaned_data["quizzes_done"] or 0,
                    quiz_score=form.cleaned_data["quiz_score"],
                ),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Progress saved."))
            return redirect("higher_ed:enrollment", pk=enrollment.pk)
    return _study(request, enrollment, form=form, status=400)


def certificate_number(enrollment: Enrollment) -> str:
    digest = hashlib.blake2b(
        f"{enrollment.pk}:{enrollment.user_id}:{enrollment.completed_at}".encode(),
        key=settings.SECRET_KEY.encode()[:64],
        digest_size=4,
    ).hexdigest()
    return f"HE{enrollment.pk:08d}-{digest.upper()}"


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of completion of one of your completed enrolments, as a PDF."""
    enrollment = access.access_enrollment(request.user, pk)
    if not enrollment.is_completed:
        raise Http404
    pdf = render_pdf(
        "higher_ed/pdf/certificate.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "learner": request.user,
            "number": certificate_number(enrollment),
            "term": rules.term_label(enrollment.run.term),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{enrollment.pk}.pdf"'
    return response


# --- The credit-course monitoring centre --------------------------------------------------------------


@dataclass
class Table:
    """A table of the monitoring centre, rendered in the page and exported as CSV (``?export=<key>``)."""

    key: str
    caption: str
    header: list[str]
    rows: list[list[Any]]
    links: list[str] | None = None  # a link for each row, on its first cell

    def display_rows(self) -> list[tuple[str, list[Any]]]:
        return [(self.links[i] if self.links else "", row) for i, row in enumerate(self.rows)]


def _figure_cells(row: selectors.FigureRow) -> list[Any]:
    return [
        row.credit_courses,
        row.enrollments,
        row.completions,
        row.completion_rate,
        row.average_score,
        row.recognitions,
        row.anomalies,
    ]


def _figure_header() -> list[str]:
    return [
        _("Credit courses"),
        _("Enrolments"),
        _("Completions"),
        _("Completion rate (%)"),
        _("Average score"),
        _("Credit recognitions"),
        _("Anomaly flags"),
    ]


def _monitoring_tables(data: selectors.Monitoring) -> list[Table]:
    learner = _("Learner")
    return [
        Table(
            "platforms",
            _("Per platform"),
            [_("Platform"), *_figure_header()],
            [[r.label, *_figure_cells(r)] for r in data.by_platform],
        ),
        Table(
            "universities",
            _("Per university"),
            [_("University"), *_figure_header()],
            [[r.label, *_figure_cells(r)] for r in data.by_university],
            links=[f"?university={r.key}" for r in data.by_university],
        ),
        Table(
            "terms",
            _("Trend over terms"),
            [_("Term"), *_figure_header()],
            [[r.label, *_figure_cells(r)] for r in data.by_term],
        ),
        Table(
            "recognitions",
            _("Credit recognitions between universities"),
            [
                _("Term"),
                _("Platform"),
                _("Offering university"),
                _("Recognising university"),
                _("Recognitions"),
                _("Credits"),
            ],
            [
                [
                    rules.term_label(r.term),
                    r.platform.name,
                    r.offering_university.name,
                    r.recognising_university.name,
                    r.recognitions,
                    r.credits,
                ]
                for r in data.recognitions
            ],
        ),
        Table(
            "anomalies",
            _("Anomaly flags"),
            [
                _("Completion date"),
                _("Kind"),
                _("Course"),
                _("University"),
                _("Platform"),
                learner,
                _("Detail"),
            ],
            [
                [
                    a.day.isoformat(),
                    a.get_kind_display(),
                    a.enrollment.course.title,
                    a.university.name,
                    a.platform.name,
                    learner_code(a.enrollment.user_id),
                    a.detail,
                ]
                for a in data.anomalies
            ],
        ),
    ]


def learner_code(user_id: int) -> str:
    """A learner as the monitoring centre shows them: a stable code, never their name."""
    digest = hashlib.blake2b(str(user_id).encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=4)
    return f"L-{digest.hexdigest().upper()}"


def _csv(table: Table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credit-monitoring-{table.key}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow([rules.csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([rules.csv_cell(value) for value in row])
    return response


def monitoring(request: HttpRequest) -> HttpResponse:
    """The credit-course monitoring centre, in the user's scope; every table has its CSV export."""
    refused = _guard(request, access.monitoring_openable(request.user))
    if refused is not None:
        return refused
    params = MonitoringParamsSerializer(data=request.GET)
    if not params.is_valid():
        return render(
            request, "higher_ed/monitoring.html", {"errors": _errors(params.errors), "tables": []}, status=400
        )
    filters = params.filters()
    scope = access.access_monitoring(request.user, university=filters.university)
    data = selectors.monitoring(scope=scope, filters=filters)
    tables = _monitoring_tables(data)
    export = request.GET.get("export")
    if export:
        for table in tables:
            if table.key == export:
                return _csv(table)
        raise Http404
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "higher_ed/monitoring.html",
        {
            "tables": tables,
            "data": data,
            "scope": scope,
            "filters": filters,
            "platforms": selectors.platform_all(),
            "terms": [(t, rules.term_label(t)) for t in data.terms],
            "query": query.urlencode(),
            "now": timezone.now(),
        },
    )
