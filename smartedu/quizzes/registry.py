"""Quiz owners: the content a quiz is attached to, answered for by the app that owns it.

A quiz points at its owner with a reference ``"<app>.<model>:<id>"`` (``"k12.lessonhour:12"``,
``"vocational.resource:9"``) and never imports the owning app. Each app registers its owner kinds in its
``AppConfig.ready()``::

    register_quiz_owner(
        "vocational.resource",
        platform="vocational",
        label=_("resource"),
        may_view=lambda user, pk: access.resource_visible(user, pk),   # may this user see/attempt it?
        page_url=lambda pk: reverse("vocational:resource", args=[pk]),  # where its quizzes are shown
        may_manage=lambda user, pk: access.resource_editable(user, pk), # may see answers and results
    )

``page_url`` must not query the database (lists call it per row). ``may_view`` answers for everyone who
may see the owner's page; class membership for in-class tests and homework is checked by the quizzes app.
An unknown owner kind makes its quizzes invisible (404), never visible by default.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Label = str | Promise
_KIND = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


def _nobody(user: Any, owner_id: int) -> bool:
    return False


@dataclass(frozen=True)
class QuizOwner:
    kind: str
    platform: str
    label: Label
    may_view: Callable[[Any, int], bool]
    page_url: Callable[[int], str | None]
    may_manage: Callable[[Any, int], bool] = _nobody


_owners: dict[str, QuizOwner] = {}


def register_quiz_owner(
    kind: str,
    *,
    platform: str,
    label: Label,
    may_view: Callable[[Any, int], bool],
    page_url: Callable[[int], str | None],
    may_manage: Callable[[Any, int], bool] | None = None,
) -> QuizOwner:
    if not _KIND.match(kind):
        raise ValueError(f"quiz owner kinds look like 'app.model', not {kind!r}")
    owner = QuizOwner(
        kind=kind,
        platform=platform,
        label=label,
        may_view=may_view,
        page_url=page_url,
        may_manage=may_manage or _nobody,
    )
    _owners[kind] = owner
    return owner


def unregister_quiz_owner(kind: str) -> None:
    """For tests that register a throw-away owner kind."""
    _owners.pop(kind, None)


def quiz_owner(kind: str) -> QuizOwner | None:
    return _owners.get(kind)


def quiz_owners() -> list[QuizOwner]:
    return sorted(_owners.values(), key=lambda o: o.kind)


def owner_ref_parse(ref: str) -> tuple[str, int]:
    """``"k12.lessonhour:12"`` → ``("k12.lessonhour", 12)``; ``ValueError`` if malformed."""
    kind, sep, raw_id = ref.partition(":")
    if not sep or not _KIND.match(kind) or not re.fullmatch(r"[0-9]{1,18}", raw_id):
        raise ValueError(f"an owner reference looks like 'app.model:id', not {ref[:80]!r}")
    return kind, int(raw_id)


def owner_ref(kind: str, owner_id: int) -> str:
    return f"{kind}:{owner_id}"
