"""Server-rendered pages of ``/vocational/``: thin, each calling ``access`` then one selector or service.

Every write is a POST form that works without JavaScript (reordering is "move up / move down", which posts
the whole new order like the API does); the item page's study heartbeat is the only script.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from smartedu.accounts.models import User
from smartedu.classes import access as classes_access
from smartedu.classes.models import Class
from smartedu.quizzes.models import Quiz
from vocational import access, metrics, selectors, services
from vocational.models import (
    FORKABLE_KINDS,
    TEACHER_UPLOAD,
    ClassQuestion,
    Course,
    CourseKind,
    Item,
    Resource,
    Unit,
)

PAGE_SIZE = 20


def _user(request: Any) -> User:
    """The signed-in user (views and endpoints that call this require a login)."""
    return cast(User, request.user)


# --- Forms --------------------------------------------------------------------------------------------


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("File (PDF, PPTX or MP4)"),
        help_text=gettext_lazy("At most %(mb)d MB.") % {"mb": 200},
    )


class ItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AskForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    client_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _bad(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Public catalogue ---------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "vocational/index.html",
        {
            # Read only when the cached catalogue block is rendered anew (smartedu/portal/fragments.py).
            "categories": SimpleLazyObject(selectors.catalogue_tree),
            "kinds": [(k, label) for k, label in CourseKind.choices if k != CourseKind.PERSONAL],
        },
    )


def library_list(request: HttpRequest) -> HttpResponse:
    return render(request, "vocational/library_list.html", {"page": _page(request, selectors.library_list())})


def library_detail(request: HttpRequest, pk: int) -> HttpResponse:
    library = selectors.library_detail(pk=pk)
    if library is None:
        raise Http404
    partners = list(library.partners.all())
    return render(
        request,
        "vocational/library_detail.html",
        {
            "library": library,
            "colleges": [p for p in partners if p.kind == "college"],
            "enterprises": [p for p in partners if p.kind == "enterprise"],
            "courses": selectors.course_list().filter(library=library),
            "extensions": Resource.objects.visible().filter(library=library, is_extension=True)[:50],
        },
    )


def course_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in CourseKind.values or kind == CourseKind.PERSONAL:
        kind = ""
    q = request.GET.get("q", "")[:100]
    courses = selectors.course_list(
        kind=kind,
        category=request.GET.get("category", "")[:2],
        specialty=request.GET.get("specialty", "")[:7],
        q=q,
        ordering=request.GET.get("ordering", "")[:10],
    )
    return render(
        request,
        "vocational/course_list.html",
        {
            "page": _page(request, courses),
            "kind": kind,
            "q": q,
            "kinds": [(k, label) for k, label in CourseKind.choices if k != CourseKind.PERSONAL],
            "categories": selectors.category_list(),
            "category": request.GET.get("category", "")[:2],
        },
    )


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_view(request.user, pk)
    editable = access.course_editable(request.user, course)
    context: dict[str, Any] = {
        "course": course,
        "units": selectors.course_tree(course=course, include_hidden=editable),
        "editable": editable,
        "can_fork": access.fork_allowed(request.user) and course.kind in FORKABLE_KINDS,
        "pending_changes": selectors.pending_change_count(course=course)
        if course.is_personal and editable
        else 0,
        "is_student": access.course_is_students(request.user, course),
        "metrics_openable": course.is_personal and access.metrics_openable(request.user, course),
    }
    return render(request, "vocational/course_detail.html", context)


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = access.access_resource_for_view(request.user, pk)
    return render(
        request,
        "vocational/resource_detail.html",
        {"resource": resource, "quizzes": _quizzes(resource), "counted": resource.owner_id is None},
    )


def _quizzes(resource: Resource) -> list[Quiz]:
    return list(Quiz.objects.visible().for_owner(services.RESOURCE_KIND, resource.pk).order_by("pk"))


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_item_for_view(request.user, pk)
    course = item.unit.course
    is_student = access.course_is_students(request.user, course)
    return render(
        request,
        "vocational/item_detail.html",
        {
            "item": item,
            "course": course,
            "resource": item.resource,
            "quizzes": _quizzes(item.resource),
            "is_student": is_student,
            "ask_form": AskForm(initial={"client_token": timezone.now().strftime("%s%f")})
            if is_student
            else None,
            "heartbeat_url": reverse("api:vocational-item-heartbeat", args=[item.pk]) if is_student else "",
        },
    )


def ranking(request: HttpRequest) -> HttpResponse:
    direction = request.GET.get("direction", "")
    if direction not in ("", "rising", "falling"):
        direction = ""
    return render(
        request,
        "vocational/ranking.html",
        {"page": _page(request, selectors.resource_ranking(direction=direction)), "direction": direction},
    )


@require_POST
@login_required
def resource_rate(request: HttpRequest, pk: int) -> HttpResponse:
    resource = access.access_resource_for_view(request.user, pk)
    try:
        stars = int(request.POST.get("stars", ""))
        services.resource_rate(user=_user(request), resource=resource, stars=stars)
    except (ValueError, ValidationError):
        messages.error(request, _("Give 1 to 5 stars."))
    else:
        messages.success(request, _("Thank you for rating."))
    target = request.POST.get("next") or ""
    return HttpResponseRedirect(target if _safe(target) else reverse("vocational:resource", args=[pk]))


def _safe(url: str | None) -> bool:
    return bool(url and url.startswith("/") and not url.startswith("//"))


# --- Personalised courses -----------------------------------------------------------------------------


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    if not access.my_courses_openable(request.user):
        raise PermissionDenied
    context: dict[str, Any] = {"is_teacher": access.is_teacher(request.user)}
    if context["is_teacher"]:
        context["courses"] = selectors.personal_courses_of(user_id=_user(request).pk)
        context["classes"] = classes_access.classes_taught_by(request.user, platform="vocational")
    else:
        context["courses"] = selectors.courses_of_classes(class_ids=access.member_class_ids(request.user))
    return render(request, "vocational/my_courses.html", context)


@require_POST
@login_required
def course_fork(request: HttpRequest, pk: int) -> HttpResponse:
    source = access.access_course_for_fork(request.user, pk)
    copy, created = services.course_fork(user=_user(request), source=source)
    if created:
        messages.success(request, _("Your personalised course is ready to edit."))
    else:
        messages.info(request, _("You already have a copy of this course."))
    return redirect("vocational:course-edit", pk=copy.pk)


def _editor_context(request: HttpRequest, course: Course, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    q = request.GET.get("q", "")[:100]
    library_resources = Resource.objects.visible().select_related("library")
    if q:
        library_resources = library_resources.filter(title__icontains=q)
    elif course.library_id:
        library_resources = library_resources.filter(library_id=course.library_id)
    return {
        "course": course,
        "units": selectors.course_tree(course=course, include_hidden=True),
        "course_form": extra.pop("course_form", None)
        or CourseForm(initial={"title": course.title, "description": course.description}),
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "library_resources": library_resources.order_by("kind", "pk")[:40],
        "own_resources": Resource.objects.filter(owner=user).order_by("-pk")[:40]
        if access.is_teacher(user)
        else [],
        "classes": classes_access.classes_taught_by(user, platform="vocational").filter(is_active=True),
        "published_to": {p.klass_id for p in course.publications.all()},
        "pending_changes": selectors.pending_change_count(course=course),
        "q": q,
        "upload_limit": TEACHER_UPLOAD.max_bytes // (1024 * 1024),
        **extra,
    }


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    if not course.is_personal:
        raise PermissionDenied
    status = 200
    course_form = None
    if request.method == "POST":
        course_form = CourseForm(request.POST)
        if course_form.is_valid():
            services.course_update(user=_user(request), course=course, **course_form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("vocational:course-edit", pk=course.pk)
        status = 400
    return render(
        request,
        "vocational/course_edit.html",
        _editor_context(request, course, course_form=course_form),
        status=status,
    )


def _move(ids: list[int], pk: int, direction: str) -> list[int]:
    if pk not in ids:
        raise Http404
    i = ids.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids


@require_POST
@login_required
def unit_action(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    unit = Unit.objects.filter(pk=unit_id, course=course).first()
    if unit is None:
        raise Http404
    action = request.POST.get("action", "")
    user = _user(request)
    try:
        if action in ("up", "down"):
            ids = list(course.units.order_by("order", "pk").values_list("pk", flat=True))
            services.unit_reorder(user=user, course=course, ids=_move(ids, unit.pk, action))
        elif action in ("hide", "show"):
            services.unit_update(user=user, unit=unit, hidden=action == "hide")
        elif action == "rename":
            services.unit_update(user=user, unit=unit, title=request.POST.get("title", ""))
        elif action == "delete":
            services.unit_delete(user=user, unit=unit)
        elif action == "add-resource":
            resource = Resource.objects.filter(pk=int(request.POST.get("resource", "0") or 0)).first()
            if resource is None or not access.resource_visible(user, resource.pk):
                raise ValidationError({"resource": [_("No such resource.")]})
            services.item_add(user=user, unit=unit, resource=resource)
        else:
            return HttpResponse(_("Unknown action."), status=400)
    except ValidationError as exc:
        _bad(request, exc)
    except ValueError:
        messages.error(request, _("No such resource."))
    return redirect(reverse("vocational:course-edit", args=[course.pk]) + f"#unit-{unit.pk}")


@require_POST
@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    try:
        services.unit_create(user=_user(request), course=course, title=request.POST.get("title", ""))
    except ValidationError as exc:
        _bad(request, exc)
    return redirect("vocational:course-edit", pk=course.pk)


@require_POST
@login_required
def item_action(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    item = Item.objects.select_related("unit__course").filter(pk=item_id, unit__course=course).first()
    if item is None:
        raise Http404
    action = request.POST.get("action", "")
    user = _user(request)
    try:
        if action in ("up", "down"):
            ids = list(item.unit.items.order_by("order", "pk").values_list("pk", flat=True))
            services.item_reorder(user=user, unit=item.unit, ids=_move(ids, item.pk, action))
        elif action in ("hide", "show"):
            services.item_update(user=user, item=item, hidden=action == "hide")
        elif action == "edit":
            form = ItemForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            services.item_update(user=user, item=item, **form.cleaned_data)
        elif action == "delete":
            services.item_delete(user=user, item=item)
        else:
            return HttpResponse(_("Unknown action."), status=400)
    except ValidationError as exc:
        _bad(request, exc)
    return redirect(reverse("vocational:course-edit", args=[course.pk]) + f"#unit-{item.unit_id}")


@require_POST
@login_required
def resource_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a teacher's own file and put it into the chosen unit; a refused file is 400 with the reason."""
    course = access.access_course_for_edit(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    unit = (
        Unit.objects.filter(pk=request.POST.get("unit") or 0, course=course).first()
        if (request.POST.get("unit") or "").isdigit()
        else None
    )
    if form.is_valid() and unit is not None:
        try:
            resource = services.resource_upload(
                user=_user(request), title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
            services.item_add(user=_user(request), unit=unit, resource=resource)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your file was added."))
            return redirect(reverse("vocational:course-edit", args=[course.pk]) + f"#unit-{unit.pk}")
    elif unit is None:
        form.add_error(None, _("Choose a unit."))
    return render(
        request, "vocational/course_edit.html", _editor_context(request, course, upload_form=form), status=400
    )


@require_POST
@login_required
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    klass = (
        Class.objects.filter(pk=request.POST.get("klass") or 0, teacher=_user(request)).first()
        if (request.POST.get("klass") or "").isdigit()
        else None
    )
    if klass is None:
        messages.error(request, _("Choose one of your classes."))
    else:
        try:
            services.course_publish(user=_user(request), course=course, klass=klass)
        except ValidationError as exc:
            _bad(request, exc)
        else:
            messages.success(
                request,
                _("Published to %(name)s; its students join with the code %(code)s.")
                % {"name": klass.name, "code": klass.code},
            )
    return redirect("vocational:course-edit", pk=course.pk)


@login_required
def upstream(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_edit(request.user, pk)
    if request.method == "POST":
        try:
            services.upstream_decide(
                user=_user(request),
                course=course,
                change_id=int(request.POST.get("change", "0") or 0),
                decision=request.POST.get("decision", ""),
                overwrite=request.POST.get("overwrite") == "1",
            )
        except services.UpstreamConflict as exc:
            messages.error(request, exc.reason)
            return render(
                request,
                "vocational/upstream.html",
                {"course": course, "changes": selectors.upstream_changes(course=course)},
                status=409,
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("vocational:upstream", pk=course.pk)
    return render(
        request,
        "vocational/upstream.html",
        {"course": course, "changes": selectors.upstream_changes(course=course)},
    )


# --- Q&A ----------------------------------------------------------------------------------------------


@login_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_for_view(request.user, pk)
    editable = access.course_editable(request.user, course)
    is_student = access.course_is_students(request.user, course)
    if not (editable or is_student):
        raise Http404
    status = 200
    form = AskForm()
    if request.method == "POST":
        form = AskForm(request.POST)
        item = None
        item_id = request.POST.get("item", "")
        if item_id.isdigit():
            item = Item.objects.select_related("unit").filter(pk=int(item_id), unit__course=course).first()
        if form.is_valid():
            try:
                services.question_ask(user=_user(request), course=course, item=item, **form.cleaned_data)
            except ValidationError as exc:
                _bad(request, exc)
            else:
                messages.success(request, _("Your question was sent to the teacher."))
                return redirect("vocational:questions", pk=course.pk)
        status = 400
    qs = selectors.course_questions(course=course, student_id=None if editable else request.user.pk)
    return render(
        request,
        "vocational/questions.html",
        {
            "course": course,
            "page": _page(request, qs),
            "form": form,
            "editable": editable,
            "is_student": is_student,
            "reply_form": ReplyForm(),
        },
        status=status,
    )


@require_POST
@login_required
def question_reply(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    course = access.access_course_for_view(request.user, pk)
    question = ClassQuestion.objects.filter(pk=question_id, course=course).select_related("course").first()
    if question is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.question_reply(user=_user(request), question=question, body=form.cleaned_data["body"])
        messages.success(request, _("Reply sent."))
    else:
        messages.error(request, _("Write a reply first."))
    return redirect(reverse("vocational:questions", args=[course.pk]) + f"#question-{question.pk}")


# --- Rates --------------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[Any, Any]:
    from datetime import date

    end = timezone.localdate()
    start = end - timedelta(days=6)
    try:
        if request.GET.get("end"):
            end = date.fromisoformat(request.GET["end"])
        if request.GET.get("start"):
            start = date.fromisoformat(request.GET["start"])
    except ValueError:
        pass
    if start > end or (end - start).days >= metrics.MAX_PERIOD_DAYS:
        start = end - timedelta(days=6)
    return start, end


@login_required
def course_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The teacher's view of the four rates: the period's figures, a weekly trend, classes, students and a
    heat table of knowledge points by students. POST recomputes (and stores) the period now."""
    course = access.access_course_for_metrics(request.user, pk)
    start, end = _period(request)
    rows = selectors.stored_metrics(course=course, start=start, end=end)
    if request.method == "POST" or not rows:
        metrics.course_metrics_refresh(course=course, start=start, end=end)
        if request.method == "POST":
            messages.success(request, _("The rates were computed again from the records."))
            return redirect(reverse("vocational:dashboard", args=[course.pk]) + f"?start={start}&end={end}")
        rows = selectors.stored_metrics(course=course, start=start, end=end)
    overall = next((r for r in rows if r.klass_id is None and r.student_id is None), None)
    heat = _heat_table(course, start, end, [r.student for r in rows if r.student_id])
    return render(
        request,
        "vocational/dashboard.html",
        {
            "course": course,
            "start": start,
            "end": end,
            "overall": overall,
            "classes": [r for r in rows if r.klass_id],
            "students": [r for r in rows if r.student_id],
            "trend": selectors.metric_trend(course=course, windows=metrics.weekly_windows(start, end)),
            "heat": heat,
            "needed_days": metrics.active_days_needed(start, end),
        },
    )


def _heat_table(course: Course, start: Any, end: Any, students: list[Any]) -> dict[str, Any]:
    from smartedu.quizzes import selectors as quiz_selectors

    lo, hi = metrics.period_bounds(start, end)
    rows = quiz_selectors.knowledge_point_mastery(
        student_ids=[s.pk for s in students],
        platform="vocational",
        quiz_ids=metrics.course_quiz_ids(course),
        start=lo,
        end=hi,
    )
    points = quiz_selectors.knowledge_points(ids={r.knowledge_point_id for r in rows})
    cells = {(r.knowledge_point_id, r.student_id): r for r in rows}
    return {
        "students": students,
        "rows": [
            (points[kp], [cells.get((kp, s.pk)) for s in students])
            for kp in sorted(points, key=lambda k: points[k].name)
        ],
    }


@login_required
def admin_rates(request: HttpRequest) -> HttpResponse:
    if not access.admin_rates_openable(request.user):
        raise PermissionDenied
    start, end = _period(request)
    return render(
        request,
        "vocational/admin_rates.html",
        {
            "start": start,
            "end": end,
            "groups": selectors.metrics_by_region(
                start=start, end=end, province_id=_user(request).scope_province_id
            ),
        },
    )


# --- The other centres --------------------------------------------------------------------------------


def textbook_list(request: HttpRequest) -> HttpResponse:
    from vocational import centres
    from vocational.models import PlanStatus, SelectionStatus

    plan = request.GET.get("plan", "")
    selection = request.GET.get("selection", "")
    plan = plan if plan in PlanStatus.values else ""
    selection = selection if selection in SelectionStatus.values else ""
    return render(
        request,
        "vocational/textbook_list.html",
        {
            "page": _page(request, centres.textbook_list(plan=plan, selection=selection)),
            "plans": PlanStatus.choices,
            "selections": SelectionStatus.choices,
            "plan": plan,
            "selection": selection,
        },
    )


def textbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from vocational import centres
    from vocational.models import Textbook

    textbook = Textbook.objects.visible().select_related("specialty").filter(pk=pk).first()
    if textbook is None:
        raise Http404
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            centres.textbook_evaluate(
                user=_user(request),
                textbook=textbook,
                stars=int(request.POST.get("stars", "0") or 0),
                comment=request.POST.get("comment", ""),
            )
        except (ValueError, ValidationError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [_("Give 1 to 5 stars.")])))
            status = 400
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("vocational:textbook", pk=textbook.pk)
    return render(
        request,
        "vocational/textbook_detail.html",
        {"textbook": textbook, "evaluations": textbook.evaluations.select_related("user")[:20]},
        status=status,
    )


def simulation_list(request: HttpRequest) -> HttpResponse:
    from vocational import centres

    return render(
        request, "vocational/simulation_list.html", {"page": _page(request, centres.simulation_list())}
    )


def simulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from vocational import centres
    from vocational.models import SimulationPractice

    resource = centres.simulation_list().filter(pk=pk).first()
    if resource is None:
        raise Http404
    is_student = access.is_student(request.user)
    return render(
        request,
        "vocational/simulation_detail.html",
        {
            "resource": resource,
            "is_student": is_student,
            "summary": centres.practice_summary(student_id=_user(request).pk, resource=resource)
            if is_student
            else None,
            "practices": SimulationPractice.objects.filter(student_id=_user(request).pk, resource=resource)[
                :20
            ]
            if is_student
            else [],
            "practice_url": reverse("api:vocational-simulation-practices", args=[resource.pk]),
        },
    )


def training_list(request: HttpRequest) -> HttpResponse:
    from vocational import centres
    from vocational.models import TrainingEnrollment

    allowed = centres.training_allowed(request.user)
    mine = (
        {e.course_id: e for e in TrainingEnrollment.objects.filter(user_id=_user(request).pk)}
        if allowed
        else {}
    )
    page = _page(request, centres.training_list())
    for course in page:
        course.mine = mine.get(course.pk)
    return render(request, "vocational/training_list.html", {"page": page, "allowed": allowed})


@require_POST
@login_required
def training_action(request: HttpRequest, pk: int) -> HttpResponse:
    from vocational import centres
    from vocational.models import TrainingCourse

    course = TrainingCourse.objects.visible().filter(pk=pk).first()
    if course is None:
        raise Http404
    if not centres.training_allowed(request.user):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "complete":
            centres.training_complete(user=_user(request), course=course)
            messages.success(request, _("Marked as completed."))
        else:
            centres.training_enroll(user=_user(request), course=course)
            messages.success(request, _("You are enrolled."))
    except ValidationError as exc:
        _bad(request, exc)
    return redirect(reverse("vocational:training") + f"#training-{course.pk}")


@require_POST
@login_required
def class_test_create(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """The editor's "in-class test" form: the item's exercises for one class, inside a window."""
    from datetime import datetime

    course = access.access_course_for_edit(request.user, pk)
    item = Item.objects.select_related("resource").filter(pk=item_id, unit__course=course).first()
    if item is None:
        raise Http404
    raw_class = request.POST.get("klass", "")
    publication = (
        course.publications.filter(klass_id=int(raw_class)).select_related("klass").first()
        if raw_class.isdigit()
        else None
    )
    tz = timezone.get_current_timezone()
    try:
        opens = datetime.fromisoformat(request.POST.get("opens_at", "")).replace(tzinfo=tz)
        closes = datetime.fromisoformat(request.POST.get("closes_at", "")).replace(tzinfo=tz)
    except ValueError:
        messages.error(request, _("Give when the test opens and closes."))
        return redirect(reverse("vocational:course-edit", args=[course.pk]) + f"#unit-{item.unit_id}")
    if publication is None:
        messages.error(request, _("Choose one of your classes."))
    else:
        try:
            services.class_test_create(
                user=_user(request),
                resource=item.resource,
                klass=publication.klass,
                opens_at=opens,
                closes_at=closes,
            )
        except ValidationError as exc:
            _bad(request, exc)
        else:
            messages.success(request, _("The in-class test is set."))
    return redirect(reverse("vocational:course-edit", args=[course.pk]) + f"#unit-{item.unit_id}")
