"""The K-12 demo content, read from the data files under ``k12/demo/``.

* ``textbooks.csv``: real tables of contents (chapter → sections) of the demo's textbooks: 人教版 初中数学
  七–九年级, 物理 八年级, 化学 九年级, 小学数学 三年级上册, 人教A版 高中数学 必修第一、二册, 统编版 语文
  七年级上册 (first two units) and 人教PEP版 英语 三年级上册. A section is a lesson; a chapter without
  sections is one lesson of the same name.
* ``lessons/<textbook>.toml``: for each lesson, its learning goal, its key point and three after-class
  exercises (a choice, a true-or-false and a fill-in question).
* ``teaching.toml``: how each subject's teaching design and task sheet are worded.
* ``catalogue.toml``: which editions publish what, tags, partner sites, publishers, column-resource names.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from k12.models import QuestionKind, Volume
from k12.services import QuestionSpec

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
TextbookKey = tuple[str, str, int | None, str]  # edition code, subject code, grade number or None, volume


@dataclass(frozen=True)
class DemoLesson:
    title: str
    goal: str
    key: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class DemoUnit:
    title: str
    lessons: tuple[str, ...]


@dataclass(frozen=True)
class DemoTextbook:
    key: TextbookKey
    stage: str
    edition_label: str  # as printed on the cover: 人教版, 人教A版, 统编版…
    edition_year: int
    units: tuple[DemoUnit, ...]

    @property
    def content_file(self) -> Path:
        edition, subject, grade, volume = self.key
        return DEMO_DIR / "lessons" / f"{edition}-{subject}-{grade or 'senior'}-{volume}.toml"


_NUMBERED = re.compile(r"^\d+\s+")


def _lesson_title(chapter: str) -> str:
    """A chapter without sections is one lesson, named without the chapter's number (``1 时、分、秒``)."""
    return _NUMBERED.sub("", chapter)


@cache
def demo_textbooks() -> tuple[DemoTextbook, ...]:
    """The demo textbooks in the order of ``textbooks.csv``, each with its units and lesson titles."""
    books: dict[TextbookKey, dict[str, Any]] = {}
    with (DEMO_DIR / "textbooks.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key: TextbookKey = (
                row["edition_code"],
                row["subject_code"],
                int(row["grade"]) if row["grade"] else None,
                Volume(row["volume"]).value,
            )
            book = books.setdefault(
                key,
                {
                    "stage": row["stage_code"],
                    "label": row["edition_label"],
                    "year": int(row["edition_year"]),
                    "units": [],
                },
            )
            sections = [s for s in row["sections"].split("|") if s] or [_lesson_title(row["chapter"])]
            book["units"].append(DemoUnit(title=row["chapter"], lessons=tuple(sections)))
    return tuple(
        DemoTextbook(
            key=key,
            stage=book["stage"],
            edition_label=book["label"],
            edition_year=book["year"],
            units=tuple(book["units"]),
        )
        for key, book in books.items()
    )


def question_spec(kind: str, spec: list[Any]) -> QuestionSpec:
    """A question from its data-file form: ``choice``, ``judge`` (true or false) or ``fill``."""
    if kind == "choice":
        prompt, texts, answer, explanation = spec
        options = [{"key": key, "text": text} for key, text in zip("ABCD", texts, strict=False)]
        return QuestionSpec(QuestionKind.CHOICE, prompt, answer, options, explanation)
    if kind == "judge":
        prompt, value, explanation = spec
        return QuestionSpec(QuestionKind.TRUE_FALSE, prompt, "true" if value else "false", [], explanation)
    prompt, answer, explanation = spec
    return QuestionSpec(QuestionKind.FILL_IN, prompt, answer, [], explanation)


@cache
def lesson_contents(book: DemoTextbook) -> dict[str, DemoLesson]:
    """``{lesson title: content}`` of a demo textbook (empty if its file is missing)."""
    if not book.content_file.exists():
        return {}
    data = tomllib.loads(book.content_file.read_text(encoding="utf-8"))
    return {
        title: DemoLesson(
            title=title,
            goal=entry["goal"],
            key=entry["key"],
            questions=tuple(
                question_spec(kind, entry[kind]) for kind in ("choice", "judge", "fill") if kind in entry
            ),
        )
        for title, entry in data.items()
    }


@cache
def catalogue() -> dict[str, Any]:
    return tomllib.loads((DEMO_DIR / "catalogue.toml").read_text(encoding="utf-8"))


@cache
def teaching() -> dict[str, Any]:
    return tomllib.loads((DEMO_DIR / "teaching.toml").read_text(encoding="utf-8"))
