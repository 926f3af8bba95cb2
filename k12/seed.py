"""Demo data of the K-12 sub-platform (``manage.py seed_demo``), idempotent and topped up to a plan.

Every step creates only what is missing towards the plan's totals, so running the seeder twice gives the
same counts, a re-run does a dozen cheap queries, and ``--scale seed`` after ``--scale small`` tops the
small data set up to exactly the launch figures of reference/headline_figures.md:

* 19 editions, 452 textbooks, 19,508 lesson hours (课时) in units and lessons, three questions each;
* 28,052 resources in all = the lesson hours + column resources (2,139 in 专题教育 and 课后服务,
  1,628 in 教师研修, the rest in the other sections);
* 2,004 e-textbooks from 67 publishers: one per course textbook (its own PDF, a chapter per unit) and
  the rest standalone (sharing one generated PDF per subject).

Rows are written with ``bulk_create`` in chunks, each chunk in one transaction.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from k12.models import (
    Audience,
    Column,
    Edition,
    ETextbook,
    ETextbookChapter,
    Favourite,
    Grade,
    Lesson,
    LessonHour,
    LessonVisit,
    PartnerLink,
    PartnerLinkKind,
    Publisher,
    PublishStatus,
    Question,
    QuestionKind,
    Resource,
    ResourceKind,
    Section,
    Stage,
    StageSubject,
    Subject,
    Tag,
    Textbook,
    Unit,
    Volume,
)
from k12.pdf import minimal_pdf
from k12.services import VOLUME_TITLES, textbook_order, textbook_title

Progress = Callable[..., Iterable]
# Recorded once from a canvas with Chromium's MediaRecorder; shipped so that seeding needs no encoder.
DEMO_VIDEO = Path(__file__).resolve().parent / "reference" / "demo-lesson.webm"
TextbookKey = tuple[str, str, int | None, str]  # edition code, subject code, grade number or None, volume


@dataclass(frozen=True)
class SeedPlan:
    """The totals a seeding run tops the database up to."""

    textbooks: int
    lesson_hours: int
    resources_total: int  # column resources + lesson hours
    thematic_after_school: int  # column resources in 专题教育 and 课后服务
    teacher_training: int  # column resources in 教师研修
    etextbooks: int
    publishers: int
    questions_per_hour: int = 3
    chunk: int = 25  # textbooks per transaction


PLANS = {
    "small": SeedPlan(
        textbooks=8,
        lesson_hours=48,
        resources_total=48 + 36 * 3,
        thematic_after_school=19 * 3,
        teacher_training=7 * 3,
        etextbooks=12,
        publishers=5,
    ),
    "seed": SeedPlan(
        textbooks=452,
        lesson_hours=19_508,
        resources_total=28_052,
        thematic_after_school=2_139,
        teacher_training=1_628,
        etextbooks=2_004,
        publishers=67,
    ),
}

# The small data set: full trees for four editions, first in every plan so that larger plans extend it.
SMALL_TEXTBOOKS: list[TextbookKey] = [
    ("pep", "math", 1, Volume.AUTUMN),
    ("tongbian", "chinese", 1, Volume.AUTUMN),
    ("bnu", "math", 1, Volume.AUTUMN),
    ("pep-primary-english", "english", 3, Volume.AUTUMN),
    ("pep", "math", 1, Volume.SPRING),
    ("tongbian", "chinese", 1, Volume.SPRING),
    ("pep", "physics", 8, Volume.AUTUMN),
    ("pep", "math", None, Volume.COMPULSORY_1),
]

# Which stages and subjects each edition publishes (统编版: 语文, 道德与法治/思想政治 and 历史).
COVERAGE: dict[str, dict[str, list[str]]] = {
    "tongbian": {
        "primary": ["chinese", "morality-law"],
        "junior": ["chinese", "morality-law", "history"],
        "senior": ["chinese", "politics", "history"],
    },
    "pep": {
        "primary": ["math", "music", "art", "pe-health"],
        "junior": ["math", "english", "physics", "chemistry", "biology", "geography", "music", "art"],
        "senior": ["math", "english", "physics", "chemistry", "biology", "geography", "japanese", "russian"],
    },
    "pep-primary-english": {"primary": ["english"]},
    "bnu": {"primary": ["math"], "junior": ["math", "biology"], "senior": ["math", "english", "geography"]},
    "sujiao": {"primary": ["math", "science", "art"], "junior": ["math", "biology"], "senior": ["math"]},
    "hujiao": {
        "primary": ["english"],
        "junior": ["english", "chemistry"],
        "senior": ["geography", "chemistry"],
    },
    "fltrp": {"primary": ["english"], "junior": ["english"], "senior": ["english", "japanese"]},
    "yilin": {"primary": ["english"], "junior": ["english"], "senior": ["english"]},
    "xiangjiao": {
        "primary": ["math", "music", "art"],
        "junior": ["math", "geography"],
        "senior": ["geography"],
    },
    "lujiao": {"junior": ["chemistry", "geography"], "senior": ["chemistry", "geography", "physics"]},
    "yuejiao": {"primary": ["science", "it"], "senior": ["physics", "it-tech", "general-tech"]},
    "jijiao": {"primary": ["math", "english", "science"], "junior": ["math", "english", "biology"]},
    "qingdao": {"primary": ["math", "science"], "junior": ["math"]},
    "beijing": {
        "primary": ["english", "math", "it"],
        "junior": ["english", "biology"],
        "senior": ["general-tech"],
    },
    "jiaoke": {"primary": ["science", "it"], "junior": ["physics"], "senior": ["physics", "it-tech"]},
    "huke": {"junior": ["physics", "math"], "senior": ["physics", "it-tech"]},
    "zhejiao": {"primary": ["it"], "junior": ["math", "it"], "senior": ["it-tech", "general-tech"]},
    "ecnu": {"junior": ["math", "biology"], "senior": ["math"]},
    "keyue": {"junior": ["chemistry"], "senior": ["it-tech", "chemistry"]},
}
SENIOR_VOLUMES = [
    Volume.COMPULSORY_1,
    Volume.COMPULSORY_2,
    Volume.ELECTIVE_1,
    Volume.ELECTIVE_2,
    Volume.ELECTIVE_3,
]

# Publishers of e-textbooks beyond the editions' own (provincial education presses, university presses…).
EXTRA_PUBLISHERS = [
    f"{place}教育出版社"
    for place in (
        "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "安徽", "福建", "江西",
        "河南", "湖北", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海",
        "宁夏", "新疆", "延边", "大象", "明天", "希望", "长春", "南方",
    )
] + [
    "高等教育出版社", "人民出版社", "科学出版社", "中华书局", "商务印书馆", "人民音乐出版社",
    "人民美术出版社", "岭南美术出版社", "湖南美术出版社", "花城出版社", "电子工业出版社", "清华大学出版社",
    "北京大学出版社", "南京大学出版社", "浙江大学出版社", "中国地图出版社", "星球地图出版社", "地质出版社",
    "少年儿童出版社", "接力出版社", "语文出版社", "开明出版社", "重庆大学出版社", "西南师范大学出版社",
    "东北师范大学出版社", "陕西师范大学出版社", "首都师范大学出版社", "上海外语教育出版社", "人民体育出版社",
    "北京体育大学出版社",
]  # fmt: skip

TAGS = [
    ("micro-lesson", "微课"), ("lecture", "专题讲座"), ("animation", "动画"), ("experiment", "实验"),
    ("reading", "阅读"), ("safety", "安全"), ("psychology", "心理"), ("for-parents", "家长必读"),
    ("case-study", "优秀案例"), ("homework", "作业设计"), ("calisthenics", "课间操"), ("museum", "博物馆"),
]  # fmt: skip

PARTNERS = [
    ("中国国家博物馆", "https://www.chnmuseum.cn/", "国家博物馆的线上展览与藏品。"),
    ("中国数字科技馆", "https://www.cdstm.cn/", "科普展品、实验与科学课程。"),
    ("国家公共文化云", "https://www.culturedc.cn/", "全国公共文化资源与直播。"),
    ("人民日报少年网", "http://www.hongxiaobu.com/", "面向中小学生的新闻与作品。"),
    ("数字敦煌", "https://www.e-dunhuang.com/", "敦煌石窟的高清数字资源。"),
    ("北京大学考古与艺术博物馆", "https://amuseum.pku.edu.cn/", "北京大学的考古与艺术藏品。"),
    ("清华大学科学博物馆", "https://www.tsinghua.edu.cn/", "科学技术史的展览与藏品。"),
]
HOTLINE = ("全国青少年心理援助热线", "12355", "共青团青少年服务台，提供心理咨询与援助。")

SECTION_AUDIENCE = {
    "thematic": [Audience.STUDENT, Audience.STUDENT, Audience.PARENT],
    "course-teaching": [Audience.STUDENT, Audience.TEACHER],
    "after-school": [Audience.STUDENT],
    "teacher-training": [Audience.TEACHER],
    "family-education": [Audience.PARENT],
    "reform-practice": [Audience.TEACHER, Audience.PARENT],
}
SPECIAL_TITLES = {
    "sports": ["第九套广播体操", "眼保健操", "中小学生课间操"],
    "mental-health": ["心理援助热线：遇到困扰时可以找谁", "情绪管理小课堂"],
}
KINDS = [
    ResourceKind.VIDEO,
    ResourceKind.VIDEO,
    ResourceKind.DOCUMENT,
    ResourceKind.COURSE,
    ResourceKind.LINK,
]
CN_NUMBERS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + (CN_NUMBERS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN_NUMBERS[tens - 1] + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def _batches(rows: list, size: int = 2000) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _save_file(name: str, content: bytes) -> str:
    """Write ``content`` at ``name`` in the default storage, replacing an older file of that name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


class K12Seeder:
    def __init__(self, *, plan: SeedPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.now = timezone.now()
        self.random = random.Random(20220329)  # deterministic demo data (launch day)
        self.stages = {s.code: s for s in Stage.objects.all()}
        self.subjects = {s.code: s for s in Subject.objects.all()}
        self.grades = {g.number: g for g in Grade.objects.all()}
        self.editions = {e.code: e for e in Edition.objects.all()}
        self.first_grade = {
            (link.stage.code, link.subject.code): link.first_grade
            for link in StageSubject.objects.select_related("stage", "subject")
        }

    def demo_video(self) -> str:
        """The one short demo video every seeded lesson hour and video resource plays (4 s, 17 kB WebM)."""
        if not hasattr(self, "_video"):
            self._video = _save_file("k12/videos/demo-lesson.webm", DEMO_VIDEO.read_bytes())
        return self._video

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
        for code, name in TAGS:
            Tag.objects.get_or_create(code=code, defaults={"name": name})
        for order, (name, url, description) in enumerate(PARTNERS, start=1):
            PartnerLink.objects.get_or_create(
                name=name,
                defaults={
                    "kind": PartnerLinkKind.PARTNER_SITE,
                    "url": url,
                    "description": description,
                    "order": order,
                },
            )
        name, phone, description = HOTLINE
        PartnerLink.objects.get_or_create(
            name=name, defaults={"kind": PartnerLinkKind.HOTLINE, "phone": phone, "description": description}
        )

    def publisher_names(self) -> list[str]:
        names = list(dict.fromkeys(e.publisher for e in self.editions.values()))
        names += [n for n in EXTRA_PUBLISHERS if n not in names]
        if len(names) < self.plan.publishers:
            raise ValueError(f"only {len(names)} publisher names for a plan of {self.plan.publishers}")
        return names[: self.plan.publishers]

    def seed_publishers(self) -> None:
        existing = set(Publisher.objects.values_list("name", flat=True))
        Publisher.objects.bulk_create(
            [Publisher(name=n) for n in self.publisher_names() if n not in existing]
        )
        self.publishers = {p.name: p for p in Publisher.objects.all()}

    # --- textbooks -------------------------------------------------------------------------------

    def textbook_candidates(self) -> list[TextbookKey]:
        """Every textbook the coverage allows: the small set first, then one per edition in turn."""
        per_edition: dict[str, list[TextbookKey]] = defaultdict(list)
        for edition_code, stages in COVERAGE.items():
            for stage_code, subject_codes in stages.items():
                grades = [g for g in self.grades.values() if g.stage_id == self.stages[stage_code].pk]
                for subject_code in subject_codes:
                    first = self.first_grade[(stage_code, subject_code)]
                    if stage_code == "senior":
                        keys = [(edition_code, subject_code, None, v) for v in SENIOR_VOLUMES]
                    else:
                        keys = [
                            (edition_code, subject_code, g.number, v)
                            for g in grades
                            if g.number >= first
                            for v in (Volume.AUTUMN, Volume.SPRING)
                        ]
                    per_edition[edition_code] += [k for k in keys if k not in SMALL_TEXTBOOKS]
        candidates = list(SMALL_TEXTBOOKS)
        queues = [per_edition[code] for code in self.editions if per_edition[code]]
        for index in range(max(len(q) for q in queues)):
            candidates += [queue[index] for queue in queues if index < len(queue)]
        return candidates

    def seed_textbooks(self) -> None:
        existing = set()
        for edition, subject, grade, volume in Textbook.objects.values_list(
            "edition__code", "subject__code", "grade__number", "volume"
        ):
            existing.add((edition, subject, grade, volume))
        missing = self.plan.textbooks - len(existing)
        if missing <= 0:
            return
        candidates = self.textbook_candidates()
        new_keys = [key for key in candidates if key not in existing][:missing]
        if len(new_keys) < missing:
            raise ValueError(f"the coverage allows only {len(candidates)} textbooks")
        rows = []
        for edition_code, subject_code, grade_number, volume in new_keys:
            edition = self.editions[edition_code]
            subject = self.subjects[subject_code]
            grade = self.grades.get(grade_number) if grade_number else None
            stage = (
                self.stages["senior"]
                if grade is None
                else next(s for s in self.stages.values() if s.pk == grade.stage_id)
            )
            rows.append(
                Textbook(
                    edition=edition,
                    subject=subject,
                    stage=stage,
                    grade=grade,
                    volume=volume,
                    title=textbook_title(edition=edition, subject=subject, grade=grade, volume=volume),
                    publisher=self.publishers[edition.publisher],
                    order=textbook_order(grade=grade, volume=volume),
                    status=PublishStatus.PUBLISHED,
                    published_at=self.now,
                )
            )
        for batch in self.progress(list(_batches(rows, 500)), desc="textbooks"):
            Textbook.objects.bulk_create(batch)

    # --- units, lessons, hours, questions --------------------------------------------------------

    def seed_trees(self) -> None:
        """Give every textbook without units a tree, sharing out the lesson hours still missing."""
        bare = list(
            Textbook.objects.filter(units__isnull=True).select_related("subject").order_by("pk").distinct()
        )
        if not bare:
            return
        remaining = self.plan.lesson_hours - LessonHour.objects.count()
        base, extra = divmod(max(remaining, len(bare)), len(bare))
        self.slides = _save_file(
            "k12/lessons/slides/demo-slides.pdf", minimal_pdf(title="smartedu demo slides", pages=6)
        )
        self.video = self.demo_video()
        chunk: list[tuple[Textbook, int]] = []
        for index, textbook in enumerate(self.progress(bare, total=len(bare), desc="lesson trees")):
            chunk.append((textbook, base + (1 if index < extra else 0)))
            if len(chunk) == self.plan.chunk:
                self._write_trees(chunk)
                chunk = []
        if chunk:
            self._write_trees(chunk)

    @staticmethod
    def tree_shape(hours: int) -> list[list[int]]:
        """Units → lessons → hours per lesson: two-hour lessons (one one-hour lesson if odd), ≈√n per unit."""
        lessons = [2] * (hours // 2) + [1] * (hours % 2)
        size = max(2, round(math.sqrt(len(lessons))))
        return [lessons[i : i + size] for i in range(0, len(lessons), size)]

    @transaction.atomic
    def _write_trees(self, chunk: list[tuple[Textbook, int]]) -> None:
        units, unit_plans = [], []
        for textbook, hours in chunk:
            for number, lesson_hours in enumerate(self.tree_shape(hours), start=1):
                units.append(Unit(textbook=textbook, order=number, title=f"第{_cn(number)}单元"))
                unit_plans.append(lesson_hours)
        Unit.objects.bulk_create(units)

        lessons, lesson_plans = [], []
        page_by_textbook: dict[int, int] = defaultdict(lambda: 3)  # pages 1–2: cover and contents
        number_by_textbook: dict[int, int] = defaultdict(int)
        for unit, lesson_hours in zip(units, unit_plans, strict=True):
            for order, hours in enumerate(lesson_hours, start=1):
                number_by_textbook[unit.textbook_id] += 1
                number = number_by_textbook[unit.textbook_id]
                start = page_by_textbook[unit.textbook_id]
                page_by_textbook[unit.textbook_id] = start + 3
                lessons.append(
                    Lesson(
                        textbook_id=unit.textbook_id,
                        unit=unit,
                        order=order,
                        title=f"第{number}课 {self._topic(unit.textbook_id, number)}",
                        summary="本课通过情境导入、探究活动和课后练习，帮助学生理解并运用所学内容。",
                        start_page=start,
                        end_page=start + 2,
                        status=PublishStatus.PUBLISHED,
                        published_at=self.now,
                        view_count=self.random.randint(0, 5000),
                    )
                )
                lesson_plans.append(hours)
        Lesson.objects.bulk_create(lessons)

        hours_rows = []
        for lesson, hours in zip(lessons, lesson_plans, strict=True):
            for order in range(1, hours + 1):
                hours_rows.append(
                    LessonHour(
                        lesson=lesson,
                        order=order,
                        title=f"第{_cn(order)}课时",
                        duration=self.random.randint(15, 25) * 60,
                        video=self.video,
                        slides=self.slides,
                        teaching_design=(
                            "教学目标：理解本课时的核心概念。\n教学重点：结合生活实例进行探究。\n"
                            "教学过程：导入—新授—练习—小结。"
                        ),
                        task_sheet=(
                            "1. 观看视频，记录本课时的两个关键概念。\n2. 完成课本上的例题。\n"
                            "3. 和同学交流一个你在生活中见到的例子。"
                        ),
                    )
                )
        LessonHour.objects.bulk_create(hours_rows, batch_size=2000)

        lesson_by_id = {lesson.pk: lesson for lesson in lessons}
        questions = []
        for hour in hours_rows:
            questions += self._questions(hour, lesson_by_id[hour.lesson_id])
        Question.objects.bulk_create(questions, batch_size=2000)

    def _topic(self, textbook_id: int, number: int) -> str:
        topics = [
            "认识与探究",
            "观察与发现",
            "阅读与理解",
            "实践与应用",
            "整理与复习",
            "合作与交流",
            "拓展与提升",
        ]
        return topics[(textbook_id + number) % len(topics)]

    def _questions(self, hour: LessonHour, lesson: Lesson) -> list[Question]:
        answer_key = "ABCD"[(lesson.pk + hour.order) % 4]
        all_questions = [
            Question(
                hour=hour,
                order=1,
                kind=QuestionKind.CHOICE,
                prompt=f"学习“{lesson.title}”{hour.title}后，下列做法中最恰当的是哪一项？",
                options=[
                    {"key": key, "text": "先独立思考，再与同学交流验证" if key == answer_key else text}
                    for key, text in zip(
                        "ABCD", ["只背结论", "跳过例题", "不做记录", "照抄答案"], strict=True
                    )
                ],
                answer=answer_key,
                explanation="独立思考后再交流验证，能够加深理解、发现问题。",
            ),
            Question(
                hour=hour,
                order=2,
                kind=QuestionKind.TRUE_FALSE,
                prompt="判断：完成学习任务单有助于梳理本课时的重点。",
                answer="true",
                explanation="学习任务单按步骤引导学习，帮助梳理重点。",
            ),
            Question(
                hour=hour,
                order=3,
                kind=QuestionKind.FILL_IN,
                prompt=f"填空：3 + {hour.order + 3} = ____",
                answer=str(hour.order + 6),
                explanation=f"3 加 {hour.order + 3} 等于 {hour.order + 6}。",
            ),
        ]
        return all_questions[: self.plan.questions_per_hour]

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
        etextbooks, chapters = [], []
        for textbook in textbooks:
            units = list(textbook.units.all())
            lessons = [lesson for unit in units for lesson in unit.lessons.all()]
            pages = max([lesson.end_page or 0 for lesson in lessons] + [2]) + 1
            unit_starts = [
                (unit, min((lesson.start_page or 3 for lesson in unit.lessons.all()), default=3))
                for unit in units
            ]
            name = _save_file(
                f"k12/etextbooks/textbook-{textbook.pk}.pdf",
                minimal_pdf(
                    title=f"smartedu e-textbook {textbook.pk}: {textbook.subject.code} {textbook.volume}",
                    pages=pages,
                    chapters=[(f"Unit {unit.order}", page) for unit, page in unit_starts],
                ),
            )
            etextbook = ETextbook(
                textbook=textbook,
                title=textbook.title,
                publisher=textbook.publisher,
                edition=textbook.edition,
                subject=textbook.subject,
                stage_id=textbook.stage_id,
                grade_id=textbook.grade_id,
                volume=textbook.volume,
                file=name,
                page_count=pages,
                status=PublishStatus.PUBLISHED,
                published_at=self.now,
                view_count=self.random.randint(0, 20000),
            )
            etextbooks.append(etextbook)
            chapters.append([(f"{unit.title}", page, unit) for unit, page in unit_starts])
        ETextbook.objects.bulk_create(etextbooks)
        ETextbookChapter.objects.bulk_create(
            ETextbookChapter(etextbook=etextbook, order=order, title=title, start_page=page, unit=unit)
            for etextbook, toc in zip(etextbooks, chapters, strict=True)
            for order, (title, page, unit) in enumerate(toc, start=1)
        )

    def seed_standalone_etextbooks(self) -> None:
        """E-textbooks without a course tree, from every publisher in turn; one shared PDF per subject."""
        missing = self.plan.etextbooks - ETextbook.objects.count()
        if missing <= 0:
            return
        used = set(ETextbook.objects.values_list("publisher__name", flat=True))
        names = self.publisher_names()
        order = [n for n in names if n not in used] + names
        existing = set(
            ETextbook.objects.values_list("publisher__name", "subject__code", "grade__number", "volume")
        )
        specs = []
        subject_volumes = [
            (stage_code, subject_code, grade, volume)
            for (stage_code, subject_code), first in self.first_grade.items()
            for grade, volume in self._volumes(stage_code, first)
        ]
        self.random.shuffle(subject_volumes)
        index = 0
        while len(specs) < missing:
            publisher = order[len(specs) % len(order)]
            stage_code, subject_code, grade, volume = subject_volumes[index % len(subject_volumes)]
            index += 1
            key = (publisher, subject_code, grade, volume)
            if key in existing:
                if index > 50 * (missing + len(subject_volumes)):
                    raise ValueError("not enough distinct e-textbooks to reach the plan")
                continue
            existing.add(key)
            specs.append((publisher, stage_code, subject_code, grade, volume))

        pages, chapter_pages = 60, [3, 13, 23, 33, 43, 53]
        shared: dict[str, str] = {}
        for subject_code in sorted({spec[2] for spec in specs}):
            shared[subject_code] = _save_file(
                f"k12/etextbooks/shared/{subject_code}.pdf",
                minimal_pdf(
                    title=f"smartedu e-textbook: {subject_code}",
                    pages=pages,
                    chapters=[(f"Chapter {n}", p) for n, p in enumerate(chapter_pages, start=1)],
                ),
            )
        for batch in self.progress(list(_batches(specs, 500)), desc="e-textbooks+"):
            with transaction.atomic():
                rows = []
                for publisher, stage_code, subject_code, grade_number, volume in batch:
                    subject = self.subjects[subject_code]
                    grade = self.grades.get(grade_number) if grade_number else None
                    volume_name = (grade.name if grade else "") + VOLUME_TITLES[Volume(volume)]
                    rows.append(
                        ETextbook(
                            title=f"{subject.name} {volume_name}（{publisher}）",
                            publisher=self.publishers[publisher],
                            subject=subject,
                            stage=self.stages[stage_code],
                            grade=grade,
                            volume=volume,
                            file=shared[subject_code],
                            page_count=pages,
                            status=PublishStatus.PUBLISHED,
                            published_at=self.now,
                            view_count=self.random.randint(0, 8000),
                        )
                    )
                ETextbook.objects.bulk_create(rows)
                ETextbookChapter.objects.bulk_create(
                    ETextbookChapter(etextbook=row, order=n, title=f"第{_cn(n)}章", start_page=p)
                    for row in rows
                    for n, p in enumerate(chapter_pages, start=1)
                )

    def _volumes(self, stage_code: str, first_grade: int) -> list[tuple[int | None, str]]:
        if stage_code == "senior":
            return [(None, v) for v in SENIOR_VOLUMES]
        stage = self.stages[stage_code]
        return [
            (g.number, v)
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
        rows: list[Resource] = []
        for section_codes, target in groups:
            missing = target - sum(counts.get(code, 0) for code in section_codes)
            group_columns = [c for c in columns if c.section.code in section_codes]
            for index in range(max(missing, 0)):
                column = group_columns[index % len(group_columns)]
                numbers[column.pk] = numbers.get(column.pk, 0) + 1
                rows.append(self._resource(column, numbers[column.pk], partners, subjects))
        if not rows:
            return
        video = self.demo_video()
        for row in rows:
            if row.kind == ResourceKind.VIDEO:
                row.video = video
        through = Resource.tags.through
        for batch in self.progress(list(_batches(rows, 1000)), desc="resources"):
            with transaction.atomic():
                Resource.objects.bulk_create(batch)
                through.objects.bulk_create(
                    through(resource_id=r.pk, tag_id=tags[(r.pk + k) % len(tags)].pk)
                    for r in batch
                    for k in range(1 + r.pk % 2)
                )

    def _resource(self, column: Column, number: int, partners: list, subjects: list) -> Resource:
        section = column.section
        specials = SPECIAL_TITLES.get(column.code, [])
        kind = KINDS[number % len(KINDS)]
        subject = None
        if column.code == "subject-research":
            subject = subjects[number % len(subjects)]
            title, kind = (
                f"{subject.name}学科作业设计指南（{_cn(1 + number // len(subjects))}）",
                ResourceKind.DOCUMENT,
            )
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
            }[kind]
            title = f"{column.name}{label} 第{number}期"
        url = partners[number % len(partners)].url if kind == ResourceKind.LINK else ""
        audiences = SECTION_AUDIENCE.get(section.code, [Audience.STUDENT])
        return Resource(
            section_id=column.section_id,
            column=column,
            kind=kind,
            audience=audiences[number % len(audiences)],
            title=title,
            summary=f"{section.name}·{column.name}：{title}。",
            body="资源简介：本资源由国家中小学智慧教育平台汇聚，适合课堂内外学习使用。",
            url=url,
            subject=subject,
            duration=self.random.randint(5, 40) * 60 if kind == ResourceKind.VIDEO else None,
            status=PublishStatus.PUBLISHED,
            published_at=self.now - timedelta(minutes=self.random.randint(0, 60 * 24 * 120)),
            view_count=self.random.randint(0, 100_000),
        )

    # --- the demo student ------------------------------------------------------------------------

    def seed_demo_student(self) -> None:
        """The demo student has a favourite lesson and a lesson to continue, so their page is not empty."""
        from smartedu.accounts.models import User

        student = User.objects.filter(username="student").first()
        lessons = list(Lesson.objects.filter(status=PublishStatus.PUBLISHED).order_by("pk")[:2])
        if student is None or len(lessons) < 2:
            return
        Favourite.objects.get_or_create(user=student, lesson=lessons[1])
        LessonVisit.objects.get_or_create(
            user=student, lesson=lessons[0], defaults={"last_seen_at": self.now}
        )


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
