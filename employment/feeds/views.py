"""The administrators' feeds page: upload a partner's feed (queued in Celery), follow the imports'
progress, register a partner (its key is shown once)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from employment.feeds import access, selectors, services
from employment.feeds.forms import FeedImportForm, PartnerForm
from employment.feeds.models import Partner
from employment.throttles import write_throttled
from smartedu.accounts.models import User


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    if not access.feeds_importable(request.user):
        raise PermissionDenied
    user = cast(User, request.user)
    form = FeedImportForm(
        request.POST if request.POST.get("part") == "import" else None,
        request.FILES if request.POST.get("part") == "import" else None,
    )
    partner_form = PartnerForm(request.POST if request.POST.get("part") == "partner" else None)
    new_key = None
    if request.method == "POST":
        if write_throttled(request):
            return HttpResponse(_("Too many requests; try again in a minute."), status=429)
        try:
            if form.is_bound and form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > services.MAX_FEED_BYTES:
                    raise ValidationError({"file": [_("The feed is larger than 20 MB.")]})
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ValidationError({"file": [_("The feed is not UTF-8 text.")]}) from None
                services.feed_import_start(
                    actor=user,
                    source=form.cleaned_data["source"],
                    fmt=form.cleaned_data["format"],
                    text=text,
                    full=form.cleaned_data["full"],
                )
                messages.success(request, _("The import is queued; its progress shows below."))
                return redirect("employment:feeds-home")
            if partner_form.is_bound and partner_form.is_valid():
                _partner, new_key = services.partner_create(
                    actor=user, name=partner_form.cleaned_data["name"]
                )
                partner_form = PartnerForm()
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    imports = list(selectors.feed_imports(user=request.user)[:20])
    return render(
        request,
        "feeds/feeds.html",
        {
            "form": form,
            "partner_form": partner_form,
            "new_key": new_key,
            "imports": imports,
            "partners": list(Partner.objects.all()[:50]),
            "running": any(i.status in ("queued", "running") for i in imports),
        },
    )
