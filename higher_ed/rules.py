"""Pure rules of the higher-education platform: terms, run status, progress, scores, text folding, CSV cells.

No database access here: services and selectors call these, tests check them directly.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from higher_ed.models import RunStatus

# --- Terms ---------------------------------------------------------------------------------------------

SPRING, AUTUMN = "spring", "autumn"


def term_of(day: date) -> str:
    """The term a run starting on ``day`` belongs to: autumn runs start from August to January, spring runs
    from February to July (``"2024-autumn"``; a January start belongs to the previous year's autumn)."""
    if day.month == 1:
        return f"{day.year - 1}-{AUTUMN}"
    if day.month >= 8:
        return f"{day.year}-{AUTUMN}"
    return f"{day.year}-{SPRING}"


def term_valid(code: str) -> bool:
    year, _sep, season = code.partition("-")
    return year.isdigit() and len(year) == 4 and season in (SPRING, AUTUMN)


def term_label(code: str) -> str:
    """``"2024-autumn"`` → 2024年秋季学期 (translated)."""
    year, _sep, season = code.partition("-")
    if season == AUTUMN:
        return _("Autumn term %(year)s") % {"year": year}
    if season == SPRING:
        return _("Spring term %(year)s") % {"year": year}
    return code


def term_sort_key(code: str) -> tuple[str, int]:
    year, _sep, season = code.partition("-")
    return year, 0 if season == SPRING else 1


# --- Runs ----------------------------------------------------------------------------------------------


def run_status_on(*, start: date, end: date, today: date) -> str:
    if today < start:
        return RunStatus.UPCOMING
    if today > end:
        return RunStatus.ARCHIVED
    return RunStatus.OPEN


# --- Progress and scores -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitState:
    """A unit as progress sees it: its quizzes, and how far a learner got."""

    quiz_count: int
    video_percent: int = 0
    quizzes_done: int = 0
    quiz_score: int | None = None

    @property
    def done(self) -> bool:
        return self.video_percent >= 100 and self.quizzes_done >= self.quiz_count

    @property
    def share(self) -> float:
        """How much of the unit is done, 0–1: its video and, when it has quizzes, its quizzes, half each."""
        video = min(self.video_percent, 100) / 100
        if self.quiz_count == 0:
            return video
        return (video + min(self.quizzes_done, self.quiz_count) / self.quiz_count) / 2


@dataclass(frozen=True)
class Outcome:
    progress: int  # per cent, 0–100
    completed: bool
    score: int | None  # mean quiz score of the units that have quizzes; None without quizzes


def course_outcome(units: Sequence[UnitState]) -> Outcome:
    """Progress, completion and score of an enrolment from its units (every unit of the course).

    Progress is the mean share of the units, rounded down so that 100 % means every unit is done; a course
    is completed when every unit's video is watched and every quiz done.
    """
    if not units:
        return Outcome(progress=0, completed=False, score=None)
    completed = all(unit.done for unit in units)
    progress = 100 if completed else min(99, math.floor(100 * sum(u.share for u in units) / len(units)))
    quizzed = [u for u in units if u.quiz_count]
    scores = [u.quiz_score or 0 for u in quizzed]
    score = round(sum(scores) / len(scores)) if completed and scores else None
    return Outcome(progress=progress, completed=completed, score=score)


# --- Text ----------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Text as keywords compare it: NFKC (full-width letters become ASCII), case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search_text(parts: Iterable[str]) -> str:
    return " | ".join(fold(part) for part in parts if part)


# --- CSV -----------------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell safe to open in a spreadsheet: text beginning like a formula gets a leading apostrophe.

    Numbers stay numbers (a negative number is data, not a formula); ``None`` becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_PREFIXES) else text
    return value
