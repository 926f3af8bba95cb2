"""Class pages (``/classes/``): thin views over the access rules, selectors and services.

Server-rendered, no JavaScript: every action is a small POST form that redirects back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.classes import access, ratelimit, selectors, services
from smartedu.classes.forms import ClassForm, JoinForm
from smartedu.classes.models import Class
from smartedu.portal.client import client_ip

CLASSES_PER_PAGE = 20
MEMBERS_PER_PAGE = 50


def _require_page_access(request: HttpRequest) -> None:
    if not access.classes_page_openable(request.user):
        raise PermissionDenied


def _list_context(
    request: HttpRequest, *, create_form: ClassForm | None = None, join_form: JoinForm | None = None
) -> dict[str, Any]:
    user = request.user
    if access.is_teacher(user):
        page = Paginator(access.classes_taught_by(user), CLASSES_PER_PAGE).get_page(request.GET.get("page"))
        return {
            "is_teacher": True,
            "page_obj": page,
            "classes": page.object_list,
            "create_form": create_form or ClassForm(),
        }
    page = Paginator(access.classes_of_student(user), CLASSES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "is_teacher": False,
        "page_obj": page,
        "classes": page.object_list,
        "join_form": join_form or JoinForm(),
    }


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    """A teacher's classes with their codes and member counts; a student's classes and the join form."""
    _require_page_access(request)
    return render(request, "classes/class_list.html", _list_context(request))


@login_required
@require_POST
def class_create(request: HttpRequest) -> HttpResponse:
    if not access.is_teacher(request.user):
        raise PermissionDenied
    form = ClassForm(request.POST)
    if form.is_valid():
        try:
            klass = services.class_create(teacher=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Class created. Give your students its code."))
            return redirect("classes:detail", pk=klass.pk)
    return render(request, "classes/class_list.html", _list_context(request, create_form=form), status=400)


@login_required
@require_POST
def class_join(request: HttpRequest) -> HttpResponse:
    if not access.is_student(request.user):
        raise PermissionDenied
    form = JoinForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            with ratelimit.attempt(
                limit=ratelimit.join_limit(), user_id=request.user.pk or 0, address=client_ip(request)
            ):
                membership, created = services.class_join(
                    user=request.user,  # type: ignore[arg-type]
                    code=form.cleaned_data["code"],
                )
        except ValidationError as exc:
            form.add_error("code", exc.message_dict.get("code", exc.messages))
        except ratelimit.RateLimited as exc:
            form.add_error(
                "code",
                _("Too many tries. Wait %(minutes)d minutes and try again.")
                % {"minutes": max(1, round(exc.retry_after / 60))},
            )
            status = 429
        else:
            if created:
                messages.success(request, _("You joined %(name)s.") % {"name": membership.klass.name})
            else:
                messages.info(request, _("You are already in %(name)s.") % {"name": membership.klass.name})
            return redirect("classes:detail", pk=membership.klass_id)
    response = render(
        request, "classes/class_list.html", _list_context(request, join_form=form), status=status
    )
    return response


@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's page (members, code, archive) or a student's (teacher, leave); 404 for anyone else."""
    klass = access.access_class_for_viewer(request.user, pk)
    if access.may_manage(request.user, klass):
        page = Paginator(selectors.class_members(klass=klass), MEMBERS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        form = ClassForm(
            initial={"name": klass.name, "label": klass.label, "institution": klass.institution},
            with_platform=False,
        )
        return render(
            request,
            "classes/class_detail.html",
            {"klass": klass, "manages": True, "page_obj": page, "members": page.object_list, "form": form},
        )
    return render(request, "classes/class_detail.html", {"klass": klass, "manages": False})


def _owned(request: HttpRequest, pk: int) -> Class:
    return access.access_class_for_owner(request.user, pk)


@login_required
@require_POST
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    klass = _owned(request, pk)
    form = ClassForm(request.POST, with_platform=False)
    if form.is_valid():
        try:
            services.class_update(user=request.user, klass=klass, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("classes:detail", pk=klass.pk)
    page = Paginator(selectors.class_members(klass=klass), MEMBERS_PER_PAGE).get_page(1)
    return render(
        request,
        "classes/class_detail.html",
        {"klass": klass, "manages": True, "page_obj": page, "members": page.object_list, "form": form},
        status=400,
    )


@login_required
@require_POST
def class_code(request: HttpRequest, pk: int) -> HttpResponse:
    klass = services.class_code_regenerate(user=request.user, klass=_owned(request, pk))  # type: ignore[arg-type]
    messages.success(
        request, _("New class code: %(code)s. The old code no longer works.") % {"code": klass.code}
    )
    return redirect("classes:detail", pk=klass.pk)


@login_required
@require_POST
def class_archive(request: HttpRequest, pk: int) -> HttpResponse:
    klass = services.class_archive(user=request.user, klass=_owned(request, pk))  # type: ignore[arg-type]
    messages.success(request, _("The class is archived; its code no longer works."))
    return redirect("classes:detail", pk=klass.pk)


@login_required
@require_POST
def class_restore(request: HttpRequest, pk: int) -> HttpResponse:
    klass = services.class_restore(user=request.user, klass=_owned(request, pk))  # type: ignore[arg-type]
    messages.success(request, _("The class is open again."))
    return redirect("classes:detail", pk=klass.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    klass = _owned(request, pk)
    if not services.membership_remove(user=request.user, klass=klass, student_id=student_id):  # type: ignore[arg-type]
        raise Http404
    messages.success(request, _("The student was removed from the class."))
    return redirect("classes:detail", pk=klass.pk)


@login_required
@require_POST
def class_leave(request: HttpRequest, pk: int) -> HttpResponse:
    klass = access.access_class_for_member(request.user, pk)
    services.class_leave(user=request.user, klass=klass)  # type: ignore[arg-type]
    messages.success(request, _("You left %(name)s.") % {"name": klass.name})
    return redirect("classes:list")
