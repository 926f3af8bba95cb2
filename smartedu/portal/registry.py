"""Registries the sub-platforms fill in their ``AppConfig.ready()``.

The portal builds its navigation, home-page figures and demo data from what is registered here, so it
never imports a domain app and a domain app never imports another (DESIGN.md, "apps stay apart").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from django.utils.functional import Promise

Label = str | Promise
T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """A headline figure: a label and a function that counts it in the database."""

    key: str
    label: Label
    count: Callable[[], int]


@dataclass(frozen=True)
class Platform:
    """A sub-platform as the portal shows it: its landing page and its headline figures."""

    key: str
    name: Label
    description: Label
    url_name: str
    order: int
    figures: tuple[Figure, ...] = field(default_factory=tuple)


class Progress(Protocol):
    """What a seeder wraps its loops in: ``seed_demo`` passes tqdm, tests pass a no-op."""

    def __call__(self, iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]: ...


def no_progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]:
    """A ``Progress`` that shows nothing (tests, and callers that report progress their own way)."""
    return iterable


@dataclass(frozen=True)
class Seeder:
    """Demo data of one app: ``run(scale=..., progress=...)`` must be idempotent."""

    key: str
    order: int
    run: Callable[..., None]


@dataclass(frozen=True)
class NavLink:
    """A link of the header's account menu (Kolibri's navigation hooks).

    ``allowed(user)`` must call the same access function as the view behind ``url_name``, so that a link is
    shown exactly to the users its page would let in (never a link that answers 403).
    """

    key: str
    label: Label
    url_name: str
    order: int
    allowed: Callable[[object], bool]
    # A count shown beside the link (unread directives…), asked only of users the link is shown to.
    badge: Callable[[object], int] | None = None


_platforms: dict[str, Platform] = {}
_seeders: dict[str, Seeder] = {}
_nav_links: dict[str, NavLink] = {}


def register_platform(platform: Platform) -> None:
    _platforms[platform.key] = platform


def platforms() -> list[Platform]:
    return sorted(_platforms.values(), key=lambda p: p.order)


def register_seeder(seeder: Seeder) -> None:
    _seeders[seeder.key] = seeder


def seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda s: s.order)


def register_nav_link(link: NavLink) -> None:
    _nav_links[link.key] = link
    _nav_links_ordered.clear()


_nav_links_ordered: list[NavLink] = []


def nav_links() -> list[NavLink]:
    """Every account-menu link, in order (sorted once after the last registration)."""
    if not _nav_links_ordered:
        _nav_links_ordered.extend(sorted(_nav_links.values(), key=lambda n: n.order))
    return _nav_links_ordered


def nav_links_for(user: object) -> list[NavLink]:
    """The account-menu links ``user`` may follow, in order."""
    return [link for link in nav_links() if link.allowed(user)]


def nav_badges_for(user: object) -> dict[str, int]:
    """The non-zero badge counts of the links ``user`` may follow, by link key."""
    counts = {
        link.key: link.badge(user)
        for link in _nav_links.values()
        if link.badge is not None and link.allowed(user)
    }
    return {key: n for key, n in counts.items() if n}
