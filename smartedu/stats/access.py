"""Who may do what with view statistics: the one home of every such rule (views, API, navigation call it).

* Administrators read view statistics; a provincial administrator only their own province
  (``user.scope_province_id``, kept by the accounts app), the ministry (no province) every province and the
  national rankings.
* A dashboard is open to administrators and to approved employment officers.
* A beacon is refused when its ``Origin`` or ``Referer`` names another site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from smartedu.accounts.models import Province, Role, User
from smartedu.stats.viewers import province_code_of


def _active(user: object) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def stats_readable(user: object) -> bool:
    """Administrators (the ministry and provincial administrators) read view statistics."""
    active = _active(user)
    return bool(active and active.is_platform_admin)


def stats_national(user: object) -> bool:
    """Ministry administrators (no province) read the national figures: sections, hot content."""
    active = _active(user)
    return bool(active and active.is_platform_admin and active.scope_province_id is None)


def dashboard_openable(user: object) -> bool:
    """Administrators and approved employment officers have a dashboard (officers' panels come later)."""
    active = _active(user)
    if active is None:
        return False
    return active.is_platform_admin or (active.role == Role.OFFICER and active.is_approved)


def scope_province_code(user: object) -> str | None:
    """The province code a provincial administrator is limited to; None for the ministry."""
    active = _active(user)
    if active is None or active.scope_province_id is None:
        return None
    return province_code_of(active.scope_province_id) or None


def province_permitted(user: object, code: str | None) -> bool:
    scope = scope_province_code(user)
    return scope is None or code == scope


def province_scope(user: object, requested: str | None) -> str | None:
    """The province whose figures ``user`` reads: their own, or the one asked for (None: nationwide).

    Asking a provincial administrator's filter for another province raises ``PermissionDenied``.
    """
    scope = scope_province_code(user)
    if scope is None:
        return requested or None
    if requested and requested != scope:
        raise PermissionDenied(_("You may only read the statistics of your own province."))
    return scope


def access_province(user: object, code: str) -> Province:
    """The province page ``user`` may open; a forbidden province answers like a missing one (404)."""
    province = Province.objects.filter(code=code).first()
    if province is None or not stats_readable(user) or not province_permitted(user, code):
        raise Http404(_("No such province."))
    return province


def _names_this_site(value: str, host: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if parts.netloc.lower() == host.lower():
        return True
    return f"{parts.scheme}://{parts.netloc}".lower() in {o.lower() for o in settings.CSRF_TRUSTED_ORIGINS}


def beacon_origin_allowed(request: HttpRequest) -> bool:
    """False when ``Origin`` or ``Referer`` names another site (``Origin: null`` included).

    Requests without either header are allowed: privacy settings strip them, and such requests still face
    the de-duplication and the rate limit. Browsers send ``Origin`` with every cross-site POST.
    """
    host = request.get_host()
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and origin.strip() and not _names_this_site(origin.strip(), host):
        return False
    referer = request.META.get("HTTP_REFERER")
    return not (referer and referer.strip() and not _names_this_site(referer.strip(), host))
