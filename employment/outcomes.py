"""Graduate outcomes that the part-2 apps report to the employment front's progress roll-up.

The employment front (``employment.front``) counts, per university, how many graduates reached each stage:
with an intention, applied, with an offer (part 1's own tables), and the outcomes other apps own, such as an
agreement in force (``employment.agreements``). Those apps register an :class:`Outcome` in their
``AppConfig.ready``; the roll-up asks each for the graduates who reached it, so the front never reads another
app's tables and the apps never import the front.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from employment.models import GraduateProfile


@dataclass(frozen=True)
class Outcome:
    """One stage a graduate can reach, as its owning app decides it."""

    key: str
    label: str | Promise
    order: int
    # Narrows the given graduates to those who reached the outcome (one query, no evaluation).
    graduates: Callable[[QuerySet[GraduateProfile]], QuerySet[GraduateProfile]]


_outcomes: dict[str, Outcome] = {}


def register_outcome(outcome: Outcome) -> None:
    if outcome.key in _outcomes and _outcomes[outcome.key] != outcome:
        raise ValueError(f"outcome {outcome.key!r} is already registered")
    _outcomes[outcome.key] = outcome


def outcomes() -> list[Outcome]:
    """Every registered outcome, in display order."""
    return sorted(_outcomes.values(), key=lambda outcome: (outcome.order, outcome.key))
