"""K-12 content built from the real tables of contents (smartedu/search/reference/k12_textbook_toc.csv):
textbooks per (edition, subject, grade, volume), units = chapters, lessons = sections (a chapter without
sections is one lesson), and an e-textbook per textbook whose chapters are the units.

A compact fixture for the engine's unit tests (a second or two, no media files). The judged query set
(``test_quality.py``) and the browser journey run on the real demo seeders instead (``demo_content``)."""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass, field

from django.utils import timezone

from k12.models import (
    Edition,
    ETextbook,
    Grade,
    Lesson,
    Publisher,
    PublishStatus,
    Stage,
    Subject,
    Textbook,
    Unit,
)
from k12.rules import VOLUME_TITLES, textbook_title
from smartedu.search.dictionary import REFERENCE

VOLUMES = {v: k for k, v in VOLUME_TITLES.items()}
STAGES = {"小学": "primary", "初中": "junior", "高中": "senior"}


@dataclass
class TocContent:
    lessons: dict[str, Lesson] = field(default_factory=dict)  # "edition|section title" → lesson
    by_title: dict[str, list[Lesson]] = field(default_factory=dict)
    textbooks: list[Textbook] = field(default_factory=list)
    etextbooks: list[ETextbook] = field(default_factory=list)

    def lesson(self, title: str) -> Lesson:
        return self.by_title[title][0]


def views(text: str) -> int:
    """A stable, made-up view count."""
    return zlib.crc32(text.encode()) % 5000


def _edition(name: str) -> Edition:
    edition = Edition.objects.filter(name=name).first()
    if edition is None:
        edition = Edition.objects.create(code="pep-a", name=name, publisher="人民教育出版社", order=30)
    return edition


def build_toc_content() -> TocContent:
    content = TocContent()
    publisher, _ = Publisher.objects.get_or_create(name="人民教育出版社")
    now = timezone.now()
    books: dict[tuple, Textbook] = {}
    continue_from: dict[tuple, int] = {}
    with (REFERENCE / "k12_textbook_toc.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        edition = _edition(row["edition"])
        subject = Subject.objects.get(name=row["subject"])
        stage = Stage.objects.get(code=STAGES[row["stage"]])
        grade = Grade.objects.get(number=int(row["grade"])) if stage.code != "senior" else None
        volume = VOLUMES[row["volume"]]
        key = (edition.pk, subject.pk, stage.pk, grade.pk if grade else None, volume)
        if key not in books:
            title = textbook_title(
                edition_name=edition.name,
                subject_name=subject.name,
                grade_name=grade.name if grade else None,
                volume=volume,
            )
            existing = Textbook.objects.filter(
                edition=edition, subject=subject, stage=stage, grade=grade, volume=volume
            )
            if existing.exists():  # a seeded database (bench): add the real chapters after its own units
                books[key] = existing.get()
                content.textbooks.append(books[key])
                continue_from[key] = max(books[key].units.values_list("order", flat=True), default=0)
            else:
                books[key] = Textbook.objects.create(
                    edition=edition,
                    subject=subject,
                    stage=stage,
                    grade=grade,
                    volume=volume,
                    title=title,
                    publisher=publisher,
                    order=len(books),
                    status=PublishStatus.PUBLISHED,
                    published_at=now,
                )
                content.textbooks.append(books[key])
        book = books[key]
        order = continue_from.get(key, 0) + int(row["chapter_order"])
        unit = Unit.objects.create(textbook=book, order=order, title=row["chapter"])
        sections = [s for s in row["sections"].split("|") if s] or [row["chapter"]]
        for order, section in enumerate(sections, start=1):
            lesson = Lesson.objects.create(
                textbook=book,
                unit=unit,
                order=order,
                title=section,
                summary=f"{book.title} {row['chapter']}：{section}。",
                status=PublishStatus.PUBLISHED,
                published_at=now,
                view_count=views(f"{edition.name}{section}"),
            )
            content.lessons[f"{edition.name}|{section}"] = lesson
            content.by_title.setdefault(section, []).append(lesson)
    for book in content.textbooks:
        if ETextbook.objects.filter(textbook=book).exists():
            continue
        etextbook = ETextbook.objects.create(
            textbook=book,
            title=book.title,
            publisher=publisher,
            edition=book.edition,
            subject=book.subject,
            stage=book.stage,
            grade=book.grade,
            volume=book.volume,
            file="k12/etextbooks/test.pdf",
            page_count=100,
            status=PublishStatus.PUBLISHED,
            published_at=now,
            view_count=views(book.title),
        )
        for unit in book.units.order_by("order"):
            etextbook.chapters.create(
                order=unit.order, title=unit.title, start_page=unit.order * 8, unit=unit
            )
        content.etextbooks.append(etextbook)
    return content
