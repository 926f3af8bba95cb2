"""Pages for teachers (the teacher view of a lesson, preparation plans, homework, classroom mode) and for
parents (a linked child's learning record). Thin: access rules from ``k12.access``, reads from selectors,
writes through services. No JavaScript needed; classroom mode adds keyboard and clicker keys on top."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from k12 import access, selectors, services
from k12.forms import HomeworkForm, ItemNoteForm, PlanAddForm, PlanForm
from k12.models import Lesson, LessonHour, Question, Resource
from smartedu.accounts.models import User


def _teacher(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not access.can_teach(user):
        raise PermissionDenied(_("Only teachers prepare lessons and set homework."))
    return user


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- The teacher view of a lesson ---------------------------------------------------------------


def lesson_teacher_context(
    request: HttpRequest,
    lesson: Lesson,
    *,
    homework_form: HomeworkForm | None = None,
    plan_form: PlanAddForm | None = None,
) -> dict[str, Any]:
    """What the lesson page adds for a teacher: answers and explanations, the homework and plan forms."""
    user = request.user
    if not access.lesson_teacher_view(user, lesson.pk):
        return {"teacher_view": False}
    assert isinstance(user, User)
    exercises = selectors.lesson_exercises(lesson=lesson)
    classes = selectors.teacher_classes(teacher=user)
    plans = list(selectors.prep_plans_of(teacher=user)[:50])
    hours = list(lesson.hours.all())
    etextbook = selectors.lesson_etextbook(lesson=lesson)
    return {
        "teacher_view": True,
        "exercises": exercises,
        "teacher_classes": classes,
        "homework_form": homework_form or HomeworkForm(classes=classes, questions=exercises),
        "plans": plans,
        "plan_form": plan_form
        or PlanAddForm(plans=plans, hours=hours, with_pages=bool(etextbook and lesson.start_page)),
    }


def _lesson(pk: int) -> Lesson:
    lesson = selectors.lesson_detail_get(pk=pk)
    if lesson is None:
        raise Http404
    return lesson


def _lesson_page(request: HttpRequest, lesson: Lesson, status: int, **forms: Any) -> HttpResponse:
    from k12.views import lesson_context  # the lesson page's own context, then the teacher's parts

    context = lesson_context(request, lesson)
    context.update(lesson_teacher_context(request, lesson, **forms))
    return render(request, "k12/lesson_detail.html", context, status=status)


@login_required
@require_POST
def homework_assign(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    lesson = _lesson(pk)
    exercises = selectors.lesson_exercises(lesson=lesson)
    form = HomeworkForm(request.POST, classes=selectors.teacher_classes(teacher=teacher), questions=exercises)
    if form.is_valid():
        data = form.cleaned_data
        try:
            quiz, created = services.homework_assign(
                teacher=teacher,
                lesson=lesson,
                class_id=data["klass"],
                due_at=data["due_at"],
                question_ids=data["questions"],
                title=data["title"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if created:
                messages.success(request, _("Homework set for %(klass)s.") % {"klass": quiz.klass})
            else:
                messages.info(request, _("This homework was already set."))
            return redirect("k12:teaching")
    return _lesson_page(request, lesson, 400, homework_form=form)


@login_required
@require_POST
def lesson_to_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Add some of a lesson's hours (and its e-textbook pages) to one of the teacher's plans."""
    teacher = _teacher(request)
    lesson = _lesson(pk)
    hours = list(lesson.hours.all())
    etextbook = selectors.lesson_etextbook(lesson=lesson)
    plans = list(selectors.prep_plans_of(teacher=teacher)[:50])
    form = PlanAddForm(
        request.POST, plans=plans, hours=hours, with_pages=bool(etextbook and lesson.start_page)
    )
    if form.is_valid():
        plan = access.access_plan_for_owner(teacher, form.cleaned_data["plan"])
        by_id = {h.pk: h for h in hours}
        if not form.cleaned_data["hours"] and not form.cleaned_data.get("pages"):
            form.add_error(None, _("Tick a lesson hour or the e-textbook pages."))
        else:
            try:
                for hour_id in form.cleaned_data["hours"]:
                    services.prep_item_add(teacher=teacher, plan=plan, hour=by_id[hour_id])
                if form.cleaned_data.get("pages") and etextbook is not None:
                    services.prep_item_add(
                        teacher=teacher,
                        plan=plan,
                        etextbook=etextbook,
                        first_page=lesson.start_page,
                        last_page=lesson.end_page or lesson.start_page,
                    )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Added to %(plan)s.") % {"plan": plan.title})
                return redirect("k12:plan", pk=plan.pk)
    return _lesson_page(request, lesson, 400, plan_form=form)


def plans_for_adding(request: HttpRequest) -> list[Any]:
    """A teacher's plans, for the "add to a plan" form of a resource page (none for anyone else)."""
    if not access.can_teach(request.user):
        return []
    return list(selectors.prep_plans_of(teacher=request.user)[:50])  # type: ignore[arg-type]


@login_required
@require_POST
def resource_to_plan(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    resource = get_object_or_404(Resource.objects.visible(), pk=pk)
    try:
        plan_id = int(request.POST.get("plan", ""))
    except ValueError:
        plan_id = 0
    plan = access.access_plan_for_owner(teacher, plan_id)
    services.prep_item_add(teacher=teacher, plan=plan, resource=resource)
    messages.success(request, _("Added to %(plan)s.") % {"plan": plan.title})
    return redirect("k12:plan", pk=plan.pk)


# --- The teacher's page ("我的"), plans ----------------------------------------------------------


def teacher_home(
    request: HttpRequest, *, plan_form: PlanForm | None = None, status: int = 200
) -> HttpResponse:
    teacher = _teacher(request)
    classes = selectors.teacher_classes(teacher=teacher)
    return render(
        request,
        "k12/teacher_home.html",
        {
            "classes": classes,
            "plans": list(selectors.prep_plans_of(teacher=teacher)[:20]),
            "shared_plans": list(selectors.prep_plans_shared_with(teacher=teacher)[:20]),
            "homework": list(selectors.homework_of_teacher(teacher=teacher)[:20]),
            "plan_form": plan_form or PlanForm(classes=classes),
        },
        status=status,
    )


@login_required
def teaching(request: HttpRequest) -> HttpResponse:
    return teacher_home(request)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    teacher = _teacher(request)
    form = PlanForm(request.POST, classes=selectors.teacher_classes(teacher=teacher))
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.prep_plan_create(
                teacher=teacher,
                title=data["title"],
                class_id=data["klass"],
                period_at=data["period_at"],
                notes=data["notes"],
                is_shared=data["is_shared"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("k12:plan", pk=plan.pk)
    return teacher_home(request, plan_form=form, status=400)


@dataclass
class _ItemView:
    item: Any
    title: str
    url: str
    kind: str


def _item_views(items: list[Any]) -> list[_ItemView]:
    rows = []
    for item in items:
        if item.hour_id:
            rows.append(
                _ItemView(
                    item,
                    f"{item.hour.lesson.title} · {item.hour.title}",
                    reverse("k12:lesson", args=[item.hour.lesson_id]) + f"#hour-{item.hour_id}",
                    _("Lesson hour"),
                )
            )
        elif item.resource_id:
            rows.append(
                _ItemView(
                    item, item.resource.title, reverse("k12:resource", args=[item.resource_id]), _("Resource")
                )
            )
        else:
            rows.append(
                _ItemView(
                    item,
                    _("%(book)s, pages %(first)d–%(last)d")
                    % {"book": item.etextbook.title, "first": item.first_page, "last": item.last_page},
                    reverse("k12:etextbook", args=[item.etextbook_id]) + f"?page={item.first_page}",
                    _("E-textbook pages"),
                )
            )
    return rows


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    plan = access.access_plan_for_reader(teacher, pk)
    is_owner = plan.owner_id == teacher.pk
    classes = selectors.teacher_classes(teacher=teacher) if is_owner else []
    form = None
    if is_owner:
        form = PlanForm(
            request.POST or None,
            classes=classes,
            initial={
                "title": plan.title,
                "klass": plan.klass_id,
                "period_at": plan.period_at,
                "notes": plan.notes,
                "is_shared": plan.is_shared,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.prep_plan_update(
                    teacher=teacher,
                    plan=plan,
                    title=data["title"],
                    notes=data["notes"],
                    class_id=data["klass"],
                    period_at=data["period_at"],
                    is_shared=data["is_shared"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The plan was saved."))
                return redirect("k12:plan", pk=plan.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "k12/plan_detail.html",
        {
            "plan": plan,
            "is_owner": is_owner,
            "items": _item_views(selectors.prep_items(plan=plan)),
            "form": form,
            "note_form": ItemNoteForm,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def plan_item_action(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Move an item up or down, change its note or remove it (the plan's owner only)."""
    teacher = _teacher(request)
    access.access_plan_for_owner(teacher, pk)
    action = request.POST.get("action")
    try:
        if action == "up":
            services.prep_item_move(teacher=teacher, item_id=item_id, offset=-1)
        elif action == "down":
            services.prep_item_move(teacher=teacher, item_id=item_id, offset=1)
        elif action == "remove":
            services.prep_item_remove(teacher=teacher, item_id=item_id)
        elif action == "note":
            form = ItemNoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"note": form.errors.get("note", [])})
            services.prep_item_update(teacher=teacher, item_id=item_id, note=form.cleaned_data["note"])
        else:
            raise ValidationError({"action": [_("One of: up, down, note, remove.")]})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        response = redirect("k12:plan", pk=pk)
        response.status_code = 303
        return response
    return redirect(reverse("k12:plan", args=[pk]) + f"#item-{item_id}")


@login_required
@require_POST
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    plan = access.access_plan_for_reader(teacher, pk)
    copy = services.prep_plan_copy(teacher=teacher, plan=plan)
    messages.success(request, _("The plan was copied into your plans."))
    return redirect("k12:plan", pk=copy.pk)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    services.prep_plan_delete(teacher=teacher, plan=access.access_plan_for_owner(teacher, pk))
    messages.success(request, _("The plan was deleted."))
    return redirect("k12:teaching")


# --- Classroom (projector) mode -----------------------------------------------------------------


@dataclass
class Step:
    kind: str  # "video", "task", "question"
    hour: LessonHour | None = None
    question: Question | None = None
    number: int = 0


def classroom_steps(lesson: Lesson) -> list[Step]:
    """Each hour's video, then its task sheet; then the exercises one at a time."""
    steps: list[Step] = []
    for hour in lesson.hours.all():
        if hour.video:
            steps.append(Step("video", hour=hour))
        if hour.task_sheet:
            steps.append(Step("task", hour=hour))
    for number, question in enumerate(selectors.lesson_exercises(lesson=lesson), start=1):
        steps.append(Step("question", question=question, number=number))
    return steps


def classroom(request: HttpRequest, pk: int, step: int = 1) -> HttpResponse:
    """One step per page (usable without JavaScript): ←/→, PageUp/PageDown (clickers) and space advance."""
    lesson = _lesson(pk)
    steps = classroom_steps(lesson)
    if not steps or not 1 <= step <= len(steps):
        raise Http404
    current = steps[step - 1]
    return render(
        request,
        "k12/classroom.html",
        {
            "lesson": lesson,
            "step": current,
            "index": step,
            "total": len(steps),
            "previous": step - 1 if step > 1 else None,
            "next": step + 1 if step < len(steps) else None,
            "shows_answers": access.lesson_teacher_view(request.user, lesson.pk),
        },
    )


# --- Parents ------------------------------------------------------------------------------------


@login_required
def child_record(request: HttpRequest, child_id: int) -> HttpResponse:
    """A linked parent's view of the child's K-12 learning record, and nothing else."""
    child = access.access_child_record(request.user, child_id)
    return render(request, "k12/child_record.html", {"record": selectors.child_record(child=child)})
