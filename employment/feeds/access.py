"""Who may import feeds (administrators) and who may pull ours (partners with a key)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from employment.feeds.models import FeedImport
from smartedu.accounts.access import is_ministry_admin, is_platform_admin


def feeds_importable(user: Any) -> bool:
    """Administrators import partners' feeds and register partners. Imported jobs belong to verified
    employers of any province, so a provincial administrator may import too: the rows say whose jobs."""
    return is_platform_admin(user)


def feed_imports_for(user: Any) -> QuerySet[FeedImport]:
    """The ministry sees every import; a provincial administrator those they started."""
    if not is_platform_admin(user):
        return FeedImport.objects.none()
    if is_ministry_admin(user):
        return FeedImport.objects.all()
    return FeedImport.objects.filter(started_by_id=user.pk)
