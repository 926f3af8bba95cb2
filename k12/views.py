"""K-12 pages: thin views that read through selectors, write through services and render.

Every content detail page puts its object in the context twice: as ``object`` and under its own name
(``resource``, ``lesson``, ``etextbook``), for the statistics beacon and for the template.
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from k12 import access, covers, selectors, services, teaching_views
from k12.filters import ETextbookFilter, LessonFilter, ResourceFilter
from k12.forms import ExerciseForm
from k12.models import Column, Lesson, PartnerLink, ResourceKind
from smartedu.accounts.models import User
from smartedu.portal.fragments import cached_block, fragment_render

PAGE_SIZE = 12

T = TypeVar("T", bound=Model)


def _page(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _account(request: HttpRequest) -> User:
    """The signed-in user of a ``login_required`` view."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def index(request: HttpRequest) -> HttpResponse:
    # "Continue where you left off", and the one-form choice preset to the last lesson's textbook: read
    # once per version of the user's visits (selectors.continue_where_left_off).
    visits, chosen = (
        selectors.continue_where_left_off(user=request.user, request=request)
        if isinstance(request.user, User)
        else ([], {})
    )
    # The lists are the same for every visitor and cached as blocks of the page ({% fragment %}): they are
    # read only when a block is rendered, so a page whose blocks are all cached runs no query for them.
    return render(
        request,
        "k12/index.html",
        {
            "sections": SimpleLazyObject(selectors.section_list),
            "hot_and_newest": SimpleLazyObject(lambda: selectors.resource_hot_and_newest(limit=6)),
            "editions": SimpleLazyObject(lambda: list(selectors.edition_list())),
            "links": SimpleLazyObject(selectors.partner_links_by_kind),
            "choices": SimpleLazyObject(selectors.textbook_choices),
            "visits": visits,
            "chosen": chosen,
        },
    )


def _resource_list(request: HttpRequest, *, section_code: str, column: Column | None = None) -> HttpResponse:
    section = selectors.section_get(code=section_code)
    if section is None or (column is not None and column.section_id != section.pk):
        raise Http404
    data = request.GET.copy()
    data["section"] = section.code
    if column is not None:
        data["column"] = column.code
    resource_filter = ResourceFilter(data, queryset=selectors.resource_queryset())
    valid = resource_filter.is_valid()
    page = _page(request, resource_filter.qs if valid else selectors.resource_queryset().none())
    context = {
        "section": section,
        "column": column,
        "filter": resource_filter,
        "page_obj": page,
        "resources": page.object_list,
    }
    return render(request, "k12/section.html", context, status=200 if valid else 400)


def section_detail(request: HttpRequest, section: str) -> HttpResponse:
    return _resource_list(request, section_code=section)


def column_detail(request: HttpRequest, section: str, column: str) -> HttpResponse:
    column_obj = get_object_or_404(Column.objects.select_related("stage"), code=column)
    return _resource_list(request, section_code=section, column=column_obj)


def _page_object(request: HttpRequest, name: str, pk: int, read: Callable[[], T | None]) -> T:
    """A content page's object, the same for every visitor: read once per content generation (a minute at
    most), then from the cache (smartedu/portal/fragments.py); 404 if there is none. Its view count is
    read live with the visitor's own state (``selectors.lesson_page_state``/``resource_page_state``)."""
    found = cached_block(
        name=name, vary=[pk], render=read, request=request, timeout=60, keep=lambda obj: obj is not None
    )
    if found is None:
        raise Http404
    return found


def _visitor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _page_object(
        request, "k12.resource.page", pk, lambda: selectors.resource_page_queryset().filter(pk=pk).first()
    )
    state = selectors.resource_page_state(resource_id=pk, user=_visitor(request))
    resource.view_count = state.view_count
    return render(
        request,
        "k12/resource_detail.html",
        {
            "object": resource,
            "resource": resource,
            # Shown in a cached block of the page: read only when the block is rendered.
            "tags": SimpleLazyObject(lambda: list(resource.tags.all())),
            "is_favourite": state.is_favourite,
            "ResourceKind": ResourceKind,
            "teacher_plans": teaching_views.plans_for_adding(request),
        },
    )


def resource_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave for an external resource's site (links on our pages stay on our host)."""
    resource = get_object_or_404(selectors.resource_queryset().exclude(url=""), pk=pk)
    return redirect(resource.url)


def partner_visit(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PartnerLink.objects.filter(is_active=True).exclude(url=""), pk=pk)
    return redirect(link.url)


@login_required
@require_POST
def resource_favourite(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(selectors.resource_queryset(), pk=pk)
    user = _account(request)
    if request.POST.get("action") == "remove":
        services.favourite_remove(user=user, resource=resource)
        messages.success(request, _("Removed from your favourites."))
    else:
        try:
            services.favourite_add(user=user, resource=resource)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Added to your favourites."))
    return redirect("k12:resource", pk=resource.pk)


def textbook_browser(request: HttpRequest) -> HttpResponse:
    state = selectors.textbook_browser(
        stage=request.GET.get("stage"),
        subject=request.GET.get("subject"),
        edition=request.GET.get("edition"),
        textbook=_int(request.GET.get("textbook")),
        unit=_int(request.GET.get("unit")),
        book=request.GET.get("book"),
    )
    return render(request, "k12/textbook_browser.html", {"state": state})


def _exercise_fields(request: HttpRequest, lesson: Lesson, form: ExerciseForm, *, answered: bool) -> str:
    """The exercise form's fields: unanswered, they are the same for every student (a cached block)."""

    def render_fields() -> str:
        if not form.questions:
            return ""
        return render_to_string("includes/form.html", {"form": form}, request=request)

    if answered:
        return mark_safe(render_fields())  # noqa: S308 -- rendered by the template engine
    return fragment_render(
        name="k12.lesson.exercise-form", vary=[lesson.pk], render=render_fields, request=request
    )


def _lesson_context(
    request: HttpRequest,
    lesson: Lesson,
    form: ExerciseForm,
    *,
    answered: bool = False,
) -> dict[str, Any]:
    user = _visitor(request)
    state = selectors.lesson_page_state(lesson_id=lesson.pk, user=user)
    lesson.view_count = state.view_count
    can_submit = access.can_submit_exercises(user)
    return {
        "object": lesson,
        "lesson": lesson,
        # What the cached blocks of the page show is read only when a block is rendered (lesson_detail.html).
        "hours": SimpleLazyObject(lambda: selectors.lesson_hours(lesson=lesson)),
        "form": form,
        "exercise_fields": _exercise_fields(request, lesson, form, answered=answered) if can_submit else "",
        "neighbours": SimpleLazyObject(lambda: selectors.lesson_neighbours(lesson=lesson)),
        "etextbook": SimpleLazyObject(lambda: selectors.lesson_etextbook(lesson=lesson)),
        "can_submit": can_submit,
        "is_favourite": state.is_favourite,
        "last_submission": state.last_submission,
    }


def lesson_context(request: HttpRequest, lesson: Lesson) -> dict[str, Any]:
    """The lesson page's context with an unbound exercise form (the teacher's pages render it too). The form
    is built only if a block that shows it is rendered."""
    form = SimpleLazyObject(lambda: ExerciseForm(questions=selectors.lesson_questions(lesson=lesson)))
    return _lesson_context(request, lesson, cast(ExerciseForm, form))


def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _page_object(request, "k12.lesson.page", pk, lambda: selectors.lesson_page_get(pk=pk))
    if isinstance(request.user, User):
        services.lesson_visit_record(user=request.user, lesson=lesson)
    context = lesson_context(request, lesson)
    context.update(teaching_views.lesson_teacher_context(request, lesson))
    return render(request, "k12/lesson_detail.html", context)


@login_required
@require_POST
def lesson_submit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_detail_get(pk=pk)
    if lesson is None:
        raise Http404
    access.check_can_submit_exercises(request.user)
    form = ExerciseForm(request.POST, questions=selectors.lesson_questions(lesson=lesson))
    if form.is_valid():
        try:
            submission = services.submission_create(
                student=_account(request), lesson=lesson, answers=form.answers()
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("k12:submission", pk=submission.pk)
    context = _lesson_context(request, lesson, form, answered=True)
    return render(request, "k12/lesson_detail.html", context, status=400)


@login_required
@require_POST
def lesson_favourite(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = access.access_lesson(lesson_id=pk)
    user = _account(request)
    if request.POST.get("action") == "remove":
        services.favourite_remove(user=user, lesson=lesson)
        messages.success(request, _("Removed from your favourites."))
    else:
        try:
            services.favourite_add(user=user, lesson=lesson)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Added to your favourites."))
    return redirect("k12:lesson", pk=lesson.pk)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(student=_account(request), pk=pk)
    if submission is None:
        raise Http404
    return render(request, "k12/submission_detail.html", {"submission": submission})


def etextbook_list(request: HttpRequest) -> HttpResponse:
    etextbook_filter = ETextbookFilter(request.GET, queryset=selectors.etextbook_queryset())
    valid = etextbook_filter.is_valid()
    page = _page(
        request, etextbook_filter.qs if valid else selectors.etextbook_queryset().none(), per_page=24
    )
    return render(
        request,
        "k12/etextbook_list.html",
        {"filter": etextbook_filter, "page_obj": page, "etextbooks": page.object_list},
        status=200 if valid else 400,
    )


def lesson_list(request: HttpRequest) -> HttpResponse:
    """Lessons filtered by stage, subject, edition, grade and ``q`` (the search engine's matches, best first):
    where the search page's "more" link for lessons leads."""
    lesson_filter = LessonFilter(request.GET, queryset=selectors.lesson_queryset())
    valid = lesson_filter.is_valid()
    page = _page(request, lesson_filter.qs if valid else selectors.lesson_queryset().none(), per_page=20)
    return render(
        request,
        "k12/lesson_list.html",
        {
            "filter": lesson_filter,
            "page_obj": page,
            "lessons": page.object_list,
            "q": lesson_filter.data.get("q", ""),
        },
        status=200 if valid else 400,
    )


def etextbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    etextbook = selectors.etextbook_detail_get(pk=pk)
    if etextbook is None:
        raise Http404
    page = min(max(_int(request.GET.get("page")) or 1, 1), max(etextbook.page_count, 1))
    return render(
        request,
        "k12/etextbook_detail.html",
        {"object": etextbook, "etextbook": etextbook, "page": page},
    )


@xframe_options_sameorigin
def etextbook_file(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF, inline for the reader's frame (same origin only) or as a download with ``?download=1``."""
    etextbook = get_object_or_404(selectors.etextbook_queryset(), pk=pk)
    try:
        handle = etextbook.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=f"{etextbook.title}.pdf",
    )


@cache_control(public=True, max_age=24 * 3600)
def etextbook_cover(request: HttpRequest, pk: int) -> HttpResponse:
    """The e-textbook's cover, drawn from its title (SVG)."""
    etextbook = get_object_or_404(selectors.etextbook_queryset(), pk=pk)
    cover = covers.cover_for(
        title=etextbook.title,
        subject_code=etextbook.subject.code,
        label=etextbook.publisher.name,
        shape="book",
    )
    return render(
        request, "k12/cover.svg", {"cover": cover, "title": etextbook.title}, content_type="image/svg+xml"
    )


@cache_control(public=True, max_age=24 * 3600)
def resource_cover(request: HttpRequest, pk: int) -> HttpResponse:
    """The resource's thumbnail, drawn from its title (SVG)."""
    resource = get_object_or_404(selectors.resource_queryset(), pk=pk)
    cover = covers.cover_for(
        title=resource.title,
        subject_code=resource.subject.code if resource.subject else None,
        label=resource.column.name,
        shape="thumb",
    )
    return render(
        request, "k12/cover.svg", {"cover": cover, "title": resource.title}, content_type="image/svg+xml"
    )


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    """ "我的": a teacher's page (classes, plans, homework to review) for teachers, the family page for
    parents, and the learning page (homework with due dates, lessons, favourites, results) for others."""
    user = _account(request)
    if access.can_teach(user):
        return teaching_views.teacher_home(request)
    if access.child_record_openable(user):
        return redirect("guardians:index")
    return render(
        request,
        "k12/my_learning.html",
        {
            "homework": selectors.homework_of_student(student=user),
            "visits": selectors.recent_lesson_visits(user=user),
            "favourites": selectors.favourite_list(user=user),
            "submissions": selectors.submission_list(student=user)[:10],
        },
    )
