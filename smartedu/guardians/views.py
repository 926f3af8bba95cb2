"""The family page (``/family/``): a parent links to a child and sees the child's records; a student shows
a link code, sees who is linked and may end a link. Server-rendered, no JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.accounts.models import User
from smartedu.classes import ratelimit
from smartedu.guardians import access, codes, registry, selectors, services
from smartedu.guardians.forms import ConsentForm, LinkForm
from smartedu.portal.client import client_ip


def _user(request: HttpRequest) -> User:
    if not access.family_page_openable(request.user) or not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _context(user: User, *, link_form: LinkForm | None = None, code: str = "") -> dict[str, Any]:
    if access.is_parent(user):
        children = []
        for link in selectors.links_of_parent(parent=user):
            children.append(
                {
                    "link": link,
                    "child": link.child,
                    "needs_consent": access.is_under_consent_age(link.child),
                    "records": [
                        (record.label, reverse(record.url_name, args=[link.child_id]))
                        for record in registry.child_records()
                    ],
                }
            )
        return {"is_parent": True, "children": children, "link_form": link_form or LinkForm()}
    return {
        "is_parent": False,
        "guardians": list(selectors.links_of_child(child=user)),
        "code": codes.link_code_display(code) if code else "",
        "code_expires_at": selectors.live_code_expiry(child=user),
        "needs_consent": access.needs_guardian_consent(user),
    }


@login_required
def family(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "guardians/family.html", _context(user))


@login_required
@require_POST
def code_issue(request: HttpRequest) -> HttpResponse:
    """A student's new link code, shown on this response only (it is kept as a digest)."""
    user = _user(request)
    code, _expires = services.link_code_issue(child=user)
    return render(request, "guardians/family.html", _context(user, code=code))


@login_required
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = LinkForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            with ratelimit.attempt(limit=services.link_limit(), user_id=user.pk, address=client_ip(request)):
                link, created = services.guardian_link(parent=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ratelimit.RateLimited:
            form.add_error("code", _("Too many wrong codes. Wait a while and try again."))
            status = 429
        else:
            name = link.child.first_name or link.child.username
            if created:
                messages.success(request, _("You are now linked to %(name)s.") % {"name": name})
            else:
                messages.info(request, _("You were already linked to %(name)s.") % {"name": name})
            return redirect("guardians:index")
    return render(request, "guardians/family.html", _context(user, link_form=form), status=status)


@login_required
@require_POST
def consent(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    form = ConsentForm(request.POST)
    form.is_valid()
    given = bool(form.cleaned_data.get("consent"))
    services.guardian_consent_set(parent=user, child_id=child_id, consent=given)
    messages.success(request, _("Consent given.") if given else _("Consent withdrawn."))
    return redirect("guardians:index")


@login_required
@require_POST
def unlink(request: HttpRequest, link_id: int) -> HttpResponse:
    user = _user(request)
    services.guardian_unlink(user=user, link_id=link_id)
    messages.success(request, _("The link was removed."))
    return redirect("guardians:index")
