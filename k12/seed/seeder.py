"""Demo data of the K-12 sub-platform (``manage.py seed_demo``), idempotent and topped up to a plan.

Every step creates only what is missing towards the plan's totals, so running the seeder twice gives the
same counts, a re-run does a dozen cheap queries, and ``--scale seed`` after ``--scale small`` tops the
small data set up to exactly the launch figures of reference/headline_figures.md:

* 19 editions, 452 textbooks, 19,508 lesson hours (课时) in units and lessons, three questions each;
* 28,052 resources in all = the lesson hours + column resources (2,139 in 专题教育 and 课后服务,
  1,628 in 教师研修, the rest in the other sections);
* 2,004 e-textbooks from 67 publishers: one per course textbook (its own PDF, a chapter per unit) and
  the rest standalone (sharing one generated PDF per subject).

The small data set is the demo textbooks of ``k12/demo/`` with their real tables of contents, goals and
exercises; larger plans add textbooks with numbered units and lessons. Every row is written through the
services (their bulk forms keep the same invariants), in chunks, each chunk in one transaction.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from k12 import rules, services
from k12.models import (
    Audience,
    Column,
    Edition,
    ETextbook,
    Grade,
    Lesson,
    LessonHour,
    PartnerLink,
    PartnerLinkKind,
    Publisher,
    Resource,
    ResourceKind,
    Section,
    Stage,
    StageSubject,
    Subject,
    Tag,
    Textbook,
    Volume,
)
from k12.models.publishing import publication
from k12.pdf import minimal_pdf
from k12.seed.demo import (
    DemoLesson,
    DemoTextbook,
    TextbookKey,
    catalogue,
    demo_textbooks,
    lesson_contents,
    question_spec,
    teaching,
)
from k12.seed.plan import PLANS, SeedPlan
from k12.services import HourSpec, LessonSpec, ResourceSpec, UnitSpec
from smartedu.portal.uploads import (
    CAPTIONS_UPLOAD,
    IMAGE_UPLOAD,
    MP4_UPLOAD,
    PDF_UPLOAD,
    SLIDES_UPLOAD,
    VIDEO_UPLOAD,
)

Progress = Callable[..., Iterable[Any]]
T = TypeVar("T")
# One short clip per subject (and a "general" one), made once by k12/demo/media/build.py and committed, so
# that seeding needs no encoder: WebM + MP4, a poster and WebVTT captions each; clips.json has their lengths.
DEMO_MEDIA = Path(__file__).resolve().parent.parent / "demo" / "media"
DEMO_CLIPS: dict[str, dict[str, Any]] = json.loads((DEMO_MEDIA / "clips.json").read_text(encoding="utf-8"))
GENERAL_CLIP = "general"
SLIDES_NAME = "k12/lessons/slides/demo-slides.pdf"
SENIOR_VOLUMES = [
    Volume.COMPULSORY_1,
    Volume.COMPULSORY_2,
    Volume.ELECTIVE_1,
    Volume.ELECTIVE_2,
    Volume.ELECTIVE_3,
]
KINDS = [
    ResourceKind.VIDEO,
    ResourceKind.VIDEO,
    ResourceKind.DOCUMENT,
    ResourceKind.COURSE,
    ResourceKind.LINK,
]
PAGES_PER_LESSON = 3
FIRST_LESSON_PAGE = 3  # pages 1–2: cover and contents


def _batches(rows: Sequence[T], size: int = 2000) -> Iterable[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass(frozen=True)
class DemoClip:
    """Stored names of one demo clip's files, and its real length."""

    video: str
    video_mp4: str
    poster: str
    captions: str
    seconds: int


class K12Seeder:
    def __init__(self, *, plan: SeedPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.now = timezone.now()
        self.random = random.Random(20220329)  # deterministic demo data (launch day)
        self.catalogue = catalogue()
        self.stages = {s.code: s for s in Stage.objects.all()}
        self.subjects = {s.code: s for s in Subject.objects.all()}
        self.grades = {g.number: g for g in Grade.objects.all()}
        self.editions = {e.code: e for e in Edition.objects.all()}
        self.first_grade = {
            (link.stage.code, link.subject.code): link.first_grade
            for link in StageSubject.objects.select_related("stage", "subject")
        }
        self.demo = {book.key: book for book in demo_textbooks()}
        self._clips: dict[str, DemoClip] = {}

    def demo_clip(self, subject: str | None) -> DemoClip:
        """The stored files of ``subject``'s demo clip (the general one for none or an unknown subject)."""
        code = subject if subject in DEMO_CLIPS else GENERAL_CLIP
        if code not in self._clips:
            stored = {
                field_name: services.file_store(
                    policy=policy,
                    content=(DEMO_MEDIA / f"{code}.{suffix}").read_bytes(),
                    name=f"k12/demo/{code}.{suffix}",
                    field_name=field_name,
                )
                for field_name, policy, suffix in (
                    ("video", VIDEO_UPLOAD, "webm"),
                    ("video_mp4", MP4_UPLOAD, "mp4"),
                    ("poster", IMAGE_UPLOAD, "jpg"),
                    ("captions", CAPTIONS_UPLOAD, "vtt"),
                )
            }
            self._clips[code] = DemoClip(seconds=int(DEMO_CLIPS[code]["seconds"]), **stored)
        return self._clips[code]

    def run(self) -> None:
        self.seed_tags_and_partners()
        self.seed_publishers()
        self.seed_textbooks()
        self.seed_trees()
        self.seed_textbook_etextbooks()
        self.seed_standalone_etextbooks()
        self.seed_resources()
        self.seed_demo_student()

    # --- reference-like content ------------------------------------------------------------------

    def seed_tags_and_partners(self) -> None:
        for code, name in self.catalogue["tags"].items():
            services.tag_get_or_create(code=code, name=name)
        for order, partner in enumerate(self.catalogue["partners"], start=1):
            services.partner_link_get_or_create(kind=PartnerLinkKind.PARTNER_SITE, order=order, **partner)
        services.partner_link_get_or_create(kind=PartnerLinkKind.HOTLINE, **self.catalogue["hotline"])

    def publisher_names(self) -> list[str]:
        names = list(dict.fromkeys(e.publisher for e in self.editions.values()))
        extra = [f"{place}教育出版社" for place in self.catalogue["publishers"]["provinces"]]
        names += [n for n in extra + self.catalogue["publishers"]["others"] if n not in names]
        if len(names) < self.plan.publishers:
            raise ValueError(f"only {len(names)} publisher names for a plan of {self.plan.publishers}")
        return names[: self.plan.publishers]

    def seed_publishers(self) -> None:
        existing = set(Publisher.objects.values_list("name", flat=True))
        for name in self.publisher_names():
            if name not in existing:
                services.publisher_get_or_create(name=name)
        self.publishers = {p.name: p for p in Publisher.objects.all()}

    # --- textbooks -------------------------------------------------------------------------------

    def textbook_candidates(self) -> list[TextbookKey]:
        """Every textbook the coverage allows: the demo textbooks first, then one per edition in turn."""
        per_edition: dict[str, list[TextbookKey]] = defaultdict(list)
        for edition_code, stages in self.catalogue["coverage"].items():
            for stage_code, subject_codes in stages.items():
                grades = [g for g in self.grades.values() if g.stage_id == self.stages[stage_code].pk]
                for subject_code in subject_codes:
                    first = self.first_grade[(stage_code, subject_code)]
                    keys: list[TextbookKey]
                    if stage_code == "senior":
                        keys = [(edition_code, subject_code, None, v.value) for v in SENIOR_VOLUMES]
                    else:
                        keys = [
                            (edition_code, subject_code, g.number, v.value)
                            for g in grades
                            if g.number >= first
                            for v in (Volume.AUTUMN, Volume.SPRING)
                        ]
                    per_edition[edition_code] += [k for k in keys if k not in self.demo]
        candidates = list(self.demo)
        queues = [per_edition[code] for code in self.editions if per_edition[code]]
        for index in range(max(len(q) for q in queues)):
            candidates += [queue[index] for queue in queues if index < len(queue)]
        return candidates

    def seed_textbooks(self) -> None:
        existing = set(
            Textbook.objects.values_list("edition__code", "subject__code", "grade__number", "volume")
        )
        missing = self.plan.textbooks - len(existing)
        if missing <= 0:
            return
        candidates = self.textbook_candidates()
        new_keys = [key for key in candidates if key not in existing][:missing]
        if len(new_keys) < missing:
            raise ValueError(f"the coverage allows only {len(candidates)} textbooks")
        rows = []
        for key in new_keys:
            edition_code, subject_code, grade_number, volume = key
            edition = self.editions[edition_code]
            subject = self.subjects[subject_code]
            grade = self.grades.get(grade_number) if grade_number else None
            stage = self.stages["senior"] if grade is None else self._stage_of(grade)
            demo = self.demo.get(key)
            title = ""
            if demo is not None and demo.edition_label != edition.name:  # 人教A版 is 人教版's senior maths
                title = rules.textbook_title(
                    edition_name=demo.edition_label,
                    subject_name=subject.name,
                    grade_name=grade.name if grade else None,
                    volume=volume,
                )
            rows.append(
                Textbook(
                    edition=edition,
                    subject=subject,
                    stage=stage,
                    grade=grade,
                    volume=volume,
                    title=title,
                    publisher=self.publishers[edition.publisher],
                    **publication(at=self.now),
                )
            )
        for batch in self.progress(list(_batches(rows, 500)), desc="textbooks"):
            services.textbook_bulk_create(textbooks=batch)

    def _stage_of(self, grade: Grade) -> Stage:
        return next(s for s in self.stages.values() if s.pk == grade.stage_id)

    # --- units, lessons, hours, questions --------------------------------------------------------

    def seed_trees(self) -> None:
        """Give every textbook without units a tree: its real table of contents if it is a demo textbook,
        else numbered units and lessons sharing out the lesson hours still missing."""
        bare = list(
            Textbook.objects.filter(units__isnull=True)
            .select_related("edition", "subject", "grade")
            .order_by("pk")
            .distinct()
        )
        if not bare:
            return
        demo = {book.pk: self.demo[k] for book in bare if (k := self._key(book)) in self.demo}
        fillers = [book for book in bare if book.pk not in demo]
        demo_hours = sum(len(u.lessons) for book in demo.values() for u in book.units)
        remaining = self.plan.lesson_hours - LessonHour.objects.count() - demo_hours
        base, extra = divmod(max(remaining, len(fillers)), len(fillers)) if fillers else (0, 0)
        self.slides = services.file_store(
            policy=SLIDES_UPLOAD,
            content=minimal_pdf(title="smartedu demo slides", pages=6),
            name=SLIDES_NAME,
            field_name="slides",
        )
        chunk: list[tuple[Textbook, Sequence[UnitSpec]]] = []
        filler_index = 0
        for textbook in self.progress(bare, total=len(bare), desc="lesson trees"):
            if textbook.pk in demo:
                units = self._demo_tree(textbook, demo[textbook.pk])
            else:
                units = self._filler_tree(textbook, base + (1 if filler_index < extra else 0))
                filler_index += 1
            chunk.append((textbook, units))
            if len(chunk) == self.plan.chunk:
                services.textbook_trees_create(trees=chunk, published_at=self.now)
                chunk = []
        if chunk:
            services.textbook_trees_create(trees=chunk, published_at=self.now)

    @staticmethod
    def _key(textbook: Textbook) -> TextbookKey:
        return (
            textbook.edition.code,
            textbook.subject.code,
            textbook.grade.number if textbook.grade else None,
            textbook.volume,
        )

    @staticmethod
    def tree_shape(hours: int) -> list[list[int]]:
        """Units → lessons → hours per lesson: two-hour lessons (one one-hour lesson if odd), ≈√n per unit."""
        lessons = [2] * (hours // 2) + [1] * (hours % 2)
        size = max(2, round(math.sqrt(len(lessons))))
        return [lessons[i : i + size] for i in range(0, len(lessons), size)]

    def _hour(
        self, *, subject: str, title: str, lesson: DemoLesson, first: int, last: int, order: int
    ) -> HourSpec:
        words = teaching()
        style = words["subjects"].get(subject, words["subjects"]["default"])
        fields = {"title": title, "goal": lesson.goal, "key": lesson.key, "first": first, "last": last}
        clip = self.demo_clip(subject)
        return HourSpec(
            title=f"第{rules.cn_number(order)}课时",
            duration=clip.seconds,
            video=clip.video,
            video_mp4=clip.video_mp4,
            poster=clip.poster,
            captions=clip.captions,
            slides=self.slides,
            teaching_design=words["design"]["template"].format(**fields, **style),
            task_sheet=words["task_sheet"]["template"].format(**fields, **style),
            questions=lesson.questions[: self.plan.questions_per_hour],
        )

    def _demo_tree(self, textbook: Textbook, book: DemoTextbook) -> list[UnitSpec]:
        contents = lesson_contents(book)
        page = FIRST_LESSON_PAGE
        units = []
        for unit in book.units:
            lessons = []
            for title in unit.lessons:
                content = contents.get(title) or self._filler_lesson(title)
                first, last = page, page + PAGES_PER_LESSON - 1
                page += PAGES_PER_LESSON
                lessons.append(
                    LessonSpec(
                        title=title,
                        summary=f"{content.goal}。",
                        start_page=first,
                        end_page=last,
                        view_count=self.random.randint(0, 5000),
                        hours=[
                            self._hour(
                                subject=textbook.subject.code,
                                title=title,
                                lesson=content,
                                first=first,
                                last=last,
                                order=1,
                            )
                        ],
                    )
                )
            units.append(UnitSpec(title=unit.title, lessons=lessons))
        return units

    def _filler_lesson(self, title: str) -> DemoLesson:
        words = teaching()["filler"]
        return DemoLesson(
            title=title,
            goal=words["goal"],
            key=words["key"],
            questions=(
                question_spec("choice", words["choice"]),
                question_spec("judge", words["judge"]),
                question_spec("fill", words["fill"]),
            ),
        )

    def _filler_tree(self, textbook: Textbook, hours: int) -> list[UnitSpec]:
        page = FIRST_LESSON_PAGE
        number = 0
        units = []
        for unit_number, lesson_hours in enumerate(self.tree_shape(hours), start=1):
            lessons = []
            for count in lesson_hours:
                number += 1
                title = f"第{number}课"
                content = self._filler_lesson(title)
                first, last = page, page + PAGES_PER_LESSON - 1
                page += PAGES_PER_LESSON
                lessons.append(
                    LessonSpec(
                        title=title,
                        summary=teaching()["filler"]["summary"],
                        start_page=first,
                        end_page=last,
                        view_count=self.random.randint(0, 5000),
                        hours=[
                            self._hour(
                                subject=textbook.subject.code,
                                title=title,
                                lesson=content,
                                first=first,
                                last=last,
                                order=order,
                            )
                            for order in range(1, count + 1)
                        ],
                    )
                )
            units.append(UnitSpec(title=f"第{rules.cn_number(unit_number)}单元", lessons=lessons))
        return units

    # --- e-textbooks -----------------------------------------------------------------------------

    def seed_textbook_etextbooks(self) -> None:
        """One e-textbook per course textbook: its own PDF, a bookmark and a chapter per unit."""
        missing = list(
            Textbook.objects.filter(etextbook__isnull=True, units__isnull=False)
            .select_related("edition", "subject", "publisher")
            .prefetch_related("units__lessons")
            .distinct()
            .order_by("pk")
        )
        room = self.plan.etextbooks - ETextbook.objects.count()
        missing = missing[: max(room, 0)]
        for start in self.progress(range(0, len(missing), self.plan.chunk), desc="e-textbooks"):
            with transaction.atomic():
                self._write_textbook_etextbooks(missing[start : start + self.plan.chunk])

    def _write_textbook_etextbooks(self, textbooks: list[Textbook]) -> None:
        specs = []
        for textbook in textbooks:
            units = list(textbook.units.all())
            lessons = [lesson for unit in units for lesson in unit.lessons.all()]
            pages = max([lesson.end_page or 0 for lesson in lessons] + [2]) + 1
            unit_starts = [
                (unit, min((lesson.start_page or 3 for lesson in unit.lessons.all()), default=3))
                for unit in units
            ]
            name = services.file_store(
                policy=PDF_UPLOAD,
                content=minimal_pdf(
                    title=f"smartedu e-textbook {textbook.pk}: {textbook.subject.code} {textbook.volume}",
                    pages=pages,
                    chapters=[(f"Unit {unit.order}", page) for unit, page in unit_starts],
                ),
                name=f"k12/etextbooks/textbook-{textbook.pk}.pdf",
            )
            specs.append(
                services.ETextbookSpec(
                    textbook_id=textbook.pk,
                    title=textbook.title,
                    publisher_id=textbook.publisher_id,
                    edition_id=textbook.edition_id,
                    subject_id=textbook.subject_id,
                    stage_id=textbook.stage_id,
                    grade_id=textbook.grade_id,
                    volume=textbook.volume,
                    file=name,
                    page_count=pages,
                    view_count=self.random.randint(0, 20000),
                    chapters=[(unit.title, page, unit.pk) for unit, page in unit_starts],
                )
            )
        services.etextbook_bulk_create(specs=specs, published_at=self.now)

    def seed_standalone_etextbooks(self) -> None:
        """E-textbooks without a course tree, from every publisher in turn; one shared PDF per subject."""
        missing = self.plan.etextbooks - ETextbook.objects.count()
        if missing <= 0:
            return
        used = set(ETextbook.objects.values_list("publisher__name", flat=True))
        names = self.publisher_names()
        order = [n for n in names if n not in used] + names
        existing: set[tuple[str, str, int | None, str]] = set(
            ETextbook.objects.values_list("publisher__name", "subject__code", "grade__number", "volume")
        )
        specs: list[tuple[str, str, str, int | None, str]] = []
        subject_volumes = [
            (stage_code, subject_code, grade, volume)
            for (stage_code, subject_code), first in self.first_grade.items()
            for grade, volume in self._volumes(stage_code, first)
        ]
        self.random.shuffle(subject_volumes)
        index = 0
        while len(specs) < missing:
            publisher = order[len(specs) % len(order)]
            stage_code, subject_code, grade_number, volume = subject_volumes[index % len(subject_volumes)]
            index += 1
            key = (publisher, subject_code, grade_number, volume)
            if key in existing:
                if index > 50 * (missing + len(subject_volumes)):
                    raise ValueError("not enough distinct e-textbooks to reach the plan")
                continue
            existing.add(key)
            specs.append((publisher, stage_code, subject_code, grade_number, volume))

        pages, chapter_pages = 60, [3, 13, 23, 33, 43, 53]
        shared: dict[str, str] = {}
        for subject_code in sorted({spec[2] for spec in specs}):
            shared[subject_code] = services.file_store(
                policy=PDF_UPLOAD,
                content=minimal_pdf(
                    title=f"smartedu e-textbook: {subject_code}",
                    pages=pages,
                    chapters=[(f"Chapter {n}", p) for n, p in enumerate(chapter_pages, start=1)],
                ),
                name=f"k12/etextbooks/shared/{subject_code}.pdf",
            )
        for batch in self.progress(list(_batches(specs, 500)), desc="e-textbooks+"):
            rows = []
            for publisher, stage_code, subject_code, grade_number, volume in batch:
                subject = self.subjects[subject_code]
                grade = self.grades.get(grade_number) if grade_number else None
                volume_name = rules.volume_title(grade_name=grade.name if grade else None, volume=volume)
                rows.append(
                    services.ETextbookSpec(
                        title=f"{subject.name} {volume_name}（{publisher}）",
                        publisher_id=self.publishers[publisher].pk,
                        subject_id=subject.pk,
                        stage_id=self.stages[stage_code].pk,
                        grade_id=grade.pk if grade else None,
                        volume=volume,
                        file=shared[subject_code],
                        page_count=pages,
                        view_count=self.random.randint(0, 8000),
                        chapters=[
                            (f"第{rules.cn_number(n)}章", p, None)
                            for n, p in enumerate(chapter_pages, start=1)
                        ],
                    )
                )
            services.etextbook_bulk_create(specs=rows, published_at=self.now)

    def _volumes(self, stage_code: str, first_grade: int) -> list[tuple[int | None, str]]:
        if stage_code == "senior":
            return [(None, v.value) for v in SENIOR_VOLUMES]
        stage = self.stages[stage_code]
        return [
            (g.number, v.value)
            for g in self.grades.values()
            if g.stage_id == stage.pk and g.number >= first_grade
            for v in (Volume.AUTUMN, Volume.SPRING)
        ]

    # --- column resources ------------------------------------------------------------------------

    def seed_resources(self) -> None:
        other = self.plan.resources_total - self.plan.lesson_hours
        other -= self.plan.thematic_after_school + self.plan.teacher_training
        groups = [
            (["thematic", "after-school"], self.plan.thematic_after_school),
            (["teacher-training"], self.plan.teacher_training),
            (["course-teaching", "family-education", "reform-practice"], other),
        ]
        counts = dict(
            Resource.objects.values_list("section__code")
            .annotate(n=Count("pk"))
            .values_list("section__code", "n")
        )
        columns = list(Column.objects.select_related("section").order_by("section__order", "order", "pk"))
        tags = list(Tag.objects.order_by("pk"))
        partners = list(PartnerLink.objects.filter(kind=PartnerLinkKind.PARTNER_SITE).order_by("order"))
        subjects = list(Subject.objects.order_by("pk"))
        numbers = dict(
            Resource.objects.values_list("column_id").annotate(n=Count("pk")).values_list("column_id", "n")
        )
        planned: list[tuple[Column, int]] = []
        for section_codes, target in groups:
            missing = target - sum(counts.get(code, 0) for code in section_codes)
            group_columns = [c for c in columns if c.section.code in section_codes]
            for index in range(max(missing, 0)):
                column = group_columns[index % len(group_columns)]
                numbers[column.pk] = numbers.get(column.pk, 0) + 1
                planned.append((column, numbers[column.pk]))
        if not planned:
            return
        start = Resource.objects.count()
        specs = [
            self._resource(
                column,
                number,
                partners,
                subjects,
                [tags[(start + i + k) % len(tags)].pk for k in range(1 + i % 2)],
            )
            for i, (column, number) in enumerate(planned)
        ]
        for batch in self.progress(list(_batches(specs, 1000)), desc="resources"):
            services.resource_bulk_create(specs=batch)

    def _resource(
        self,
        column: Column,
        number: int,
        partners: list[PartnerLink],
        subjects: list[Subject],
        tag_ids: list[int],
    ) -> ResourceSpec:
        section = column.section
        specials = self.catalogue["special_titles"].get(column.code, [])
        kind = KINDS[number % len(KINDS)]
        subject = None
        if column.code == "subject-research":
            subject = subjects[number % len(subjects)]
            title = f"{subject.name}学科作业设计指南（{rules.cn_number(1 + number // len(subjects))}）"
            kind = ResourceKind.DOCUMENT
        elif number <= len(specials):
            title, kind = specials[number - 1], ResourceKind.VIDEO
        elif kind == ResourceKind.LINK:
            partner = partners[number % len(partners)]
            title = f"{partner.name}：{column.name}专题"
        else:
            label = {
                ResourceKind.VIDEO: "视频",
                ResourceKind.DOCUMENT: "读本",
                ResourceKind.COURSE: "专题课",
            }[ResourceKind(kind)]
            title = f"{column.name}{label} 第{number}期"
        audiences = self.catalogue["section_audience"].get(section.code, [Audience.STUDENT])
        clip = self.demo_clip(subject.code if subject else None) if kind == ResourceKind.VIDEO else None
        return ResourceSpec(
            column=column,
            kind=kind,
            audience=audiences[number % len(audiences)],
            title=title,
            summary=f"{section.name}·{column.name}：{title}。",
            body=self.catalogue["resource_text"]["body"],
            url=partners[number % len(partners)].url if kind == ResourceKind.LINK else "",
            subject_id=subject.pk if subject else None,
            duration=clip.seconds if clip else None,
            video=clip.video if clip else "",
            video_mp4=clip.video_mp4 if clip else "",
            poster=clip.poster if clip else "",
            captions=clip.captions if clip else "",
            published_at=self.now - timedelta(minutes=self.random.randint(0, 60 * 24 * 120)),
            view_count=self.random.randint(0, 100_000),
            tag_ids=tuple(tag_ids),
        )

    # --- the demo student ------------------------------------------------------------------------

    def seed_demo_student(self) -> None:
        """The demo student has a favourite lesson and a lesson to continue, so their page is not empty."""
        from smartedu.accounts.models import User

        student = User.objects.filter(username="student").first()
        lessons = list(Lesson.objects.visible().order_by("pk")[:2])
        if student is None or len(lessons) < 2:
            return
        services.favourite_add(user=student, lesson=lessons[1])
        services.lesson_visit_record(user=student, lesson=lessons[0], at=self.now)


def seed_k12(*, scale: str, progress: Progress, plan: SeedPlan | None = None) -> None:
    """The seeder registered with the portal: ``scale`` names a plan in ``PLANS``; tests pass their own."""
    K12Seeder(plan=plan or PLANS[scale], progress=progress).run()


def seeded_counts() -> dict[str, int]:
    """What the plan's totals are checked against."""
    return {
        "editions": Textbook.objects.values("edition").distinct().count(),
        "textbooks": Textbook.objects.count(),
        "lesson_hours": LessonHour.objects.count(),
        "resources_total": Resource.objects.count() + LessonHour.objects.count(),
        "thematic_after_school": Resource.objects.filter(
            section__code__in=["thematic", "after-school"]
        ).count(),
        "teacher_training": Resource.objects.filter(section__code="teacher-training").count(),
        "etextbooks": ETextbook.objects.count(),
        "publishers": ETextbook.objects.values("publisher").distinct().count(),
        "sections": Section.objects.count(),
        "columns": Column.objects.count(),
    }
