"""Pure rules of the K-12 sub-platform: no database, no side effects.

Services, forms, the admin and the seeder import these, so a rule is written once: how a textbook is named
and sorted, which subject/stage/grade/volume combinations exist, what shape each kind of question needs and
how an answer is graded, where chapters may start.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from k12.models.lessons import QuestionKind
from k12.models.taxonomy import VOLUME_ORDER, Volume

Errors = dict[str, list[str]]

# Volume names as they appear in Chinese textbook titles (data, like the names in the reference files).
VOLUME_TITLES: dict[str, str] = {
    Volume.AUTUMN: "上册",
    Volume.SPRING: "下册",
    Volume.SINGLE: "全一册",
    Volume.COMPULSORY_1: "必修第一册",
    Volume.COMPULSORY_2: "必修第二册",
    Volume.COMPULSORY_3: "必修第三册",
    Volume.ELECTIVE_1: "选择性必修第一册",
    Volume.ELECTIVE_2: "选择性必修第二册",
    Volume.ELECTIVE_3: "选择性必修第三册",
}
# Senior-secondary books go by volume only (必修/选择性必修); the others by grade and term.
UNGRADED_VOLUMES = frozenset(
    {
        Volume.COMPULSORY_1,
        Volume.COMPULSORY_2,
        Volume.COMPULSORY_3,
        Volume.ELECTIVE_1,
        Volume.ELECTIVE_2,
        Volume.ELECTIVE_3,
    }
)
TRUE_FALSE_VALUES = ("true", "false")
CN_DIGITS = "一二三四五六七八九"


# --- Textbooks -----------------------------------------------------------------------------------


def volume_title(*, grade_name: str | None, volume: str) -> str:
    """``八年级下册``, ``必修第一册``: how a volume is named on a cover."""
    return f"{grade_name or ''}{VOLUME_TITLES[Volume(volume)]}"


def textbook_title(*, edition_name: str, subject_name: str, grade_name: str | None, volume: str) -> str:
    """``数学 八年级下册（人教版）``."""
    return f"{subject_name} {volume_title(grade_name=grade_name, volume=volume)}（{edition_name}）"


def textbook_order(*, grade_number: int | None, volume: str) -> int:
    """Sort key of a textbook within its edition and subject: grade, then volume (never 0)."""
    return (grade_number or 0) * 100 + VOLUME_ORDER[volume] + 1


def textbook_validate(
    *,
    stage_id: int,
    first_grade: int | None,
    grade_stage_id: int | None,
    grade_number: int | None,
    volume: str,
) -> Errors:
    """Which subject/stage/grade/volume combinations exist; ``{field: [messages]}``, empty if fine.

    ``first_grade`` is the first grade the subject is taught in the stage, ``None`` if it is not taught
    there; ``grade_stage_id``/``grade_number`` describe the chosen grade (``None``: no grade).
    """
    errors: Errors = {}
    if first_grade is None:
        errors["subject"] = [_("This subject is not taught in this stage.")]
    if grade_number is not None:
        if grade_stage_id != stage_id:
            errors["grade"] = [_("This grade belongs to another stage.")]
        elif first_grade is not None and grade_number < first_grade:
            errors["grade"] = [_("This subject starts in a later grade.")]
        if volume in UNGRADED_VOLUMES:
            errors["volume"] = [_("Compulsory and elective books have no grade: leave the grade empty.")]
    elif volume not in UNGRADED_VOLUMES:
        errors["grade"] = [_("Term volumes need a grade.")]
    return errors


def next_order(orders: Iterable[int | None]) -> int:
    """One past the highest of ``orders`` (1 for the first): where a new unit, lesson or question goes."""
    return max((order or 0 for order in orders), default=0) + 1


# --- Questions and answers -----------------------------------------------------------------------


def question_validate(*, kind: str, options: Any, answer: str) -> Errors:
    """The shape each kind of question needs; ``{field: [messages]}``, empty if fine."""
    errors: Errors = {}
    if kind == QuestionKind.CHOICE:
        if not isinstance(options, list):
            return {
                "options": [_("A choice question needs two or more options, each with a key and a text.")]
            }
        keys = [o.get("key") for o in options if isinstance(o, dict) and o.get("key") and o.get("text")]
        if len(keys) < 2 or len(keys) != len(options) or len(set(keys)) != len(keys):
            errors["options"] = [
                _("A choice question needs two or more options, each with a key and a text.")
            ]
        elif answer not in keys:
            errors["answer"] = [_("The answer must be the key of one of the options.")]
    elif kind == QuestionKind.TRUE_FALSE:
        if options:
            errors["options"] = [_("A true-or-false question has no options.")]
        if answer not in TRUE_FALSE_VALUES:
            errors["answer"] = [_("The answer must be true or false.")]
    elif not answer.strip():
        errors["answer"] = [_("Give the accepted answer.")]
    return errors


def _normalise(text: str) -> str:
    return "".join(text.split()).casefold()


def answer_is_correct(*, kind: str, answer: str, given: str) -> bool:
    """Fill-in answers match any accepted answer (``a|b``) ignoring spaces and case; others match exactly."""
    if kind == QuestionKind.FILL_IN:
        return _normalise(given) in {_normalise(a) for a in answer.split("|")}
    return given.strip() == answer


def valid_answers(*, kind: str, options: Sequence[dict[str, str]]) -> set[str] | None:
    """The values a student may give (``None``: any text, for fill-in questions)."""
    if kind == QuestionKind.CHOICE:
        return {option["key"] for option in options}
    if kind == QuestionKind.TRUE_FALSE:
        return set(TRUE_FALSE_VALUES)
    return None


def score(*, correct: int, total: int) -> int:
    """Per cent of the questions answered right, rounded."""
    return round(100 * correct / total) if total else 0


# --- E-textbooks ---------------------------------------------------------------------------------


def chapters_validate(*, start_pages: Iterable[int], page_count: int) -> Errors:
    """Every chapter starts on a page the book has."""
    if any(not 1 <= page <= page_count for page in start_pages):
        return {"chapters": [_("A chapter starts on a page the book does not have.")]}
    return {}


def cn_number(n: int) -> str:
    """Chinese numerals as chapter names use them, 1–99: 一, 十, 十七, 二十, 二十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1–99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[ones - 1] if ones else "")
