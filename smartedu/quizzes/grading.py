"""Question shapes and grading: pure rules, no database (one home for every sub-platform).

Answer formats (the same as K-12's exercises, so that its questions move over unchanged):

* single choice (``single``): the key of the right option, e.g. ``"B"``;
* multiple choice (``multiple``): the keys of every right option, comma-separated in any order, e.g.
  ``"A,C"``; a given answer is right only when it names exactly those keys;
* true/false (``true_false``): ``"true"`` or ``"false"``;
* fill-in (``fill_in``): the accepted answers separated by ``|``, e.g. ``"3.14|π"``; a given answer is
  compared after removing every whitespace character and case-folding (``" Pi "`` matches ``"pi"``).

Options are a list of ``{"key": "A", "text": "…"}``; keys are 1–4 letters or digits, unique.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
FILL_IN = "fill_in"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, FILL_IN)
CHOICE_KINDS = (SINGLE, MULTIPLE)
TRUE_FALSE_VALUES = ("true", "false")

MAX_OPTIONS = 10
MAX_ANSWER_LENGTH = 200
_KEY = re.compile(r"^[A-Za-z0-9]{1,4}$")


def normalise_fill_in(text: str) -> str:
    """Fill-in answers compare without whitespace and case-folded."""
    return "".join(text.split()).casefold()


def option_keys(options: Sequence[Any]) -> list[str]:
    return [str(o.get("key")) for o in options if isinstance(o, dict)]


def parse_multiple(value: str) -> list[str]:
    """``"A, C"`` → ``["A", "C"]`` (empty parts dropped)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def question_shape_errors(*, kind: str, options: Any, answer: str) -> dict[str, list[str]]:
    """What is wrong with a question's shape, as ``{field: [messages]}``; empty if it is fine."""
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        return {"kind": [_("Unknown question type; one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]}
    if not isinstance(options, list):
        return {"options": [_("Options are a list.")]}
    if len(answer) > MAX_ANSWER_LENGTH:
        errors["answer"] = [_("At most %(n)d characters.") % {"n": MAX_ANSWER_LENGTH}]
        return errors
    if kind in CHOICE_KINDS:
        well_formed = all(
            isinstance(o, dict)
            and set(o) <= {"key", "text"}
            and isinstance(o.get("key"), str)
            and _KEY.match(o["key"])
            and isinstance(o.get("text"), str)
            and o["text"].strip()
            for o in options
        )
        keys = option_keys(options)
        if not well_formed or not 2 <= len(options) <= MAX_OPTIONS or len(set(keys)) != len(keys):
            errors["options"] = [
                _("A choice question needs 2 to %(n)d options, each with a unique key and a text.")
                % {"n": MAX_OPTIONS}
            ]
        elif kind == SINGLE and answer not in keys:
            errors["answer"] = [_("The answer must be the key of one of the options.")]
        elif kind == MULTIPLE:
            chosen = parse_multiple(answer)
            if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= set(keys):
                errors["answer"] = [
                    _("The answer must be the keys of the right options, separated by commas (e.g. A,C).")
                ]
    elif kind == TRUE_FALSE:
        if options:
            errors["options"] = [_("A true-or-false question has no options.")]
        if answer not in TRUE_FALSE_VALUES:
            errors["answer"] = [_("The answer must be true or false.")]
    else:
        if options:
            errors["options"] = [_("A fill-in question has no options.")]
        if not any(normalise_fill_in(a) for a in answer.split("|")):
            errors["answer"] = [_("Give the accepted answers, separated by |.")]
    return errors


def given_is_valid(*, kind: str, options: Sequence[Any], given: str) -> bool:
    """Could ``given`` be an answer to this question at all (an option key, true/false, some text)?"""
    if kind == SINGLE:
        return given in option_keys(options)
    if kind == MULTIPLE:
        chosen = parse_multiple(given)
        return bool(chosen) and len(set(chosen)) == len(chosen) and set(chosen) <= set(option_keys(options))
    if kind == TRUE_FALSE:
        return given in TRUE_FALSE_VALUES
    return bool(normalise_fill_in(given)) and len(given) <= MAX_ANSWER_LENGTH


def is_correct(*, kind: str, answer: str, given: str) -> bool:
    """Grade one answer (``given`` already stripped)."""
    if kind == FILL_IN:
        accepted = {normalise_fill_in(a) for a in answer.split("|")} - {""}
        return normalise_fill_in(given) in accepted
    if kind == MULTIPLE:
        return set(parse_multiple(given)) == set(parse_multiple(answer))
    return given.strip() == answer


class GradableQuestion(Protocol):
    @property
    def pk(self) -> Any: ...

    kind: str
    options: Any
    answer: str


@dataclass(frozen=True)
class GradedAnswer:
    question_id: int
    given: str
    is_correct: bool


@dataclass(frozen=True)
class Grade:
    answers: list[GradedAnswer]

    @property
    def correct_count(self) -> int:
        return sum(a.is_correct for a in self.answers)

    @property
    def question_count(self) -> int:
        return len(self.answers)

    @property
    def score(self) -> int:
        """Per cent of the questions answered right, rounded."""
        return round(100 * self.correct_count / self.question_count) if self.answers else 0


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


def canonical_given(*, kind: str, given: str) -> str:
    """How a given answer is stored: stripped; multiple-choice keys sorted (``"C, A"`` → ``"A,C"``)."""
    given = given.strip()
    if kind == MULTIPLE:
        return ",".join(sorted(parse_multiple(given)))
    return given


def grade(
    *, questions: Sequence[GradableQuestion], answers: Mapping[int, str]
) -> tuple[Grade | None, list[str]]:
    """Grade answers to exactly ``questions``: ``(grade, [])`` or ``(None, [why not])``.

    Every question must be answered and no other question may be: the messages name the questions that
    are foreign, unanswered, or answered with something that is not one of their options.
    """
    by_id = {int(q.pk): q for q in questions}
    given = {int(pk): str(value).strip() for pk, value in answers.items()}
    messages: list[str] = []
    if not by_id:
        messages.append(_("This quiz has no questions."))
    foreign = set(given) - set(by_id)
    if foreign:
        messages.append(_("These questions are not part of this quiz: %(ids)s.") % {"ids": _ids(foreign)})
    missing = {pk for pk in by_id if not given.get(pk)}
    if missing:
        messages.append(_("Answer every question; unanswered: %(ids)s.") % {"ids": _ids(missing)})
    for pk, question in by_id.items():
        value = given.get(pk)
        if value and not given_is_valid(kind=question.kind, options=question.options, given=value):
            messages.append(
                _("Question %(id)s: “%(value)s” is not a possible answer.") % {"id": pk, "value": value[:50]}
            )
    if messages:
        return None, messages
    graded = [
        GradedAnswer(
            question_id=pk,
            given=canonical_given(kind=q.kind, given=given[pk]),
            is_correct=is_correct(kind=q.kind, answer=q.answer, given=given[pk]),
        )
        for pk, q in by_id.items()
    ]
    return Grade(answers=graded), []
