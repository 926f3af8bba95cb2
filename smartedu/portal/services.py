from datetime import datetime

from django.core.cache import cache
from django.db import transaction

from smartedu.accounts.models import User
from smartedu.portal.models import Announcement
from smartedu.portal.selectors import (
    HEADLINE_CACHE_KEY,
    HEADLINE_CACHE_SECONDS,
    HOME_CACHE_KEY,
    headline_figures_compute,
)


def headline_figures_refresh() -> dict[str, dict[str, int]]:
    """Recount the headline figures and replace the cached copy the home page reads (its content figures,
    hot and latest lists are read again on the next request)."""
    figures = headline_figures_compute()
    cache.set(HEADLINE_CACHE_KEY, figures, HEADLINE_CACHE_SECONDS)
    home_cache_clear()
    return figures


def home_cache_clear() -> None:
    cache.delete(HOME_CACHE_KEY)


@transaction.atomic
def announcement_save(*, announcement: Announcement, by: User | None = None) -> Announcement:
    """Validate and save an announcement; the home page shows it from the next request on."""
    if announcement.pk is None and by is not None:
        announcement.created_by = by
    announcement.full_clean()
    announcement.save()
    transaction.on_commit(home_cache_clear)
    return announcement


def announcement_create(
    *,
    title: str,
    body: str = "",
    url: str = "",
    is_pinned: bool = False,
    published_at: datetime | None = None,
    expires_at: datetime | None = None,
    by: User | None = None,
) -> Announcement:
    announcement = Announcement(title=title, body=body, url=url, is_pinned=is_pinned, expires_at=expires_at)
    if published_at is not None:
        announcement.published_at = published_at
    return announcement_save(announcement=announcement, by=by)


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    announcement.delete()
    transaction.on_commit(home_cache_clear)
