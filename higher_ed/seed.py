"""Demo data of the higher-education platform (``manage.py seed_demo``), idempotent and topped up to a plan.

* ``small``: 300 courses over all 13 categories and every one of the 92 classes, from the real universities
  and a few generic ones, on every partner platform (two of them international and multilingual), with
  first-class, credit and international courses, runs in every status, learners' enrolments with unit
  progress, credit recognitions, and a few suspected automated completions to flag.
* ``seed``: the launch figures — 20,000 courses, about 1,800 universities, runs and 100,000 enrolments.

Course ``n`` is always the same course (its own random generator), so a run that stopped half-way or a
``--scale seed`` after ``--scale small`` creates only the missing ones. Rows go in with ``bulk_create`` in
chunks, and the largest tables (unit progress, course teachers) with ``COPY`` on PostgreSQL.

Real people appear only as the teachers of a course in their field under a generic course name, with their
name and, where it is publicly known, their university; nothing else is said about them.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from higher_ed import rules, services
from higher_ed.catalogue import catalogue_changed
from higher_ed.models import (
    LANGUAGE_BITS,
    RUN_STATUS_BITS,
    Course,
    CourseRun,
    CourseTeacher,
    CourseUnit,
    CreditRecognition,
    DisciplineCategory,
    Enrollment,
    Platform,
    RunStatus,
    SpecialtyClass,
    Teacher,
    UnitProgress,
)
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.models import Affiliation, Institution, InstitutionKind
from smartedu.institutions.services import InstitutionSpec, affiliation_set, institutions_bulk_get_or_create
from smartedu.portal.reference import read_csv

Progress = Callable[..., Iterable]
SEED = "higher_ed:20220329"
SOURCE_PREFIX = "HE"
LEARNER_PREFIX = "he_learner_"
BOT_PREFIX = "he_bot_"


@dataclass(frozen=True)
class SeedPlan:
    courses: int
    universities: int  # universities that offer courses (the real ones first, then generic ones)
    learners: int
    enrollments: int  # about this many, spread over the courses
    teachers_per_university: int
    bots: int  # accounts that complete many credit courses in one day, each too fast
    chunk: int = 1000  # courses per transaction


PLANS = {
    "small": SeedPlan(
        courses=300,
        universities=80,
        learners=60,
        enrollments=900,
        teachers_per_university=4,
        bots=2,
        chunk=150,
    ),
    "seed": SeedPlan(
        courses=20_000,
        universities=1_800,
        learners=20_000,
        enrollments=100_000,
        teachers_per_university=8,
        bots=40,
    ),
}

# Real people, as teachers of a course in their field under a generic name (never more than this).
REAL_TEACHERS = [
    # name, the university publicly known as theirs (or None), course title, class code, offering university
    ("林毅夫", "北京大学", "宏观经济学", "0201", "北京大学"),
    ("张文宏", "复旦大学", "传染病学", "1002", "复旦大学"),
    ("樊锦诗", None, "敦煌艺术", "1301", "兰州大学"),
    ("John Hopcroft", None, "算法设计与分析", "0809", "上海交通大学"),
]

SUFFIXES = [
    "大学", "理工大学", "师范大学", "医科大学", "财经学院", "师范学院",
    "理工学院", "工程学院", "科技学院", "文理学院", "工业大学", "农林大学",
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇鹏飞春晓晨欣怡博雪琳浩然子轩思远"
    "嘉宁志远国庆海燕立新振华瑞雅婷俊杰文博"
)
TITLES = ["教授", "教授", "副教授", "副教授", "讲师"]
GENERIC_UNITS = [
    "基本概念与基本原理",
    "核心方法（上）",
    "核心方法（下）",
    "典型问题与案例分析",
    "实验与实践",
    "前沿进展",
]
INTERNATIONAL_LANGUAGES = [
    ["en"], ["zh", "en"], ["en", "fr"], ["en", "es"], ["en", "ru"],
    ["en", "ar"], ["zh", "en", "ja"], ["en", "de"], ["en", "pt"], ["zh", "en", "ko"],
]  # fmt: skip
DOMESTIC_SHARES = [
    ("icourse163", 35), ("xuetangx", 15), ("zhihuishu", 15), ("chaoxing", 12),
    ("uooc", 7), ("cnmooc", 7), ("pmphmooc", 3),
]  # fmt: skip
OFFICER_UNIVERSITY = "中山大学"
OFFICER_COURSES = 12
INTERNATIONAL_SHARE = 0.05
FIRST_CLASS_SHARE = 0.25
CREDIT_SHARE = 0.4
CREDITS = [Decimal("1.0"), Decimal("1.5"), Decimal("2.0"), Decimal("2.5"), Decimal("3.0")]


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _aware(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def bulk_insert(model: type[models.Model], rows: Sequence[models.Model], *, batch_size: int = 5000) -> None:
    """Insert rows whose ids nobody needs back: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        values = []
        for f in fields:
            value = f.get_db_prep_save(getattr(row, f.attname), connection)
            values.append(value.isoformat() if isinstance(value, datetime | date) else value)
        writer.writerow(values)
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


@dataclass
class CourseSpec:
    n: int
    title: str
    category_id: int
    class_id: int | None
    class_code: str
    university_id: int
    platform: Platform
    languages: list[str]
    first_class: bool
    credit: bool
    credits: Decimal | None
    international: bool
    teachers: list[int]
    units: list[tuple[str, int, int]]
    runs: list[tuple[date, date]]
    published_at: datetime
    views: int
    enrollments: list[tuple] = field(default_factory=list)


class HigherEdSeeder:
    def __init__(self, *, plan: SeedPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.platforms = {p.code: p for p in Platform.objects.all()}
        self.categories = {c.code: c for c in DisciplineCategory.objects.all()}
        self.classes = {c.code: c for c in SpecialtyClass.objects.select_related("category")}
        # 92 classes, then the interdisciplinary category (14) which has none: course n takes slot n % 93.
        self.slots = [*sorted(self.classes), "14"]
        self.titles = {
            row["class_code"]: row["titles"].split("|") for row in read_csv("higher_ed", "course_titles.csv")
        }
        self.outlines = {
            row["title"]: row["units"].split("|") for row in read_csv("higher_ed", "course_outlines.csv")
        }

    # --- universities, teachers, learners ----------------------------------------------------------

    def universities(self) -> None:
        reference = {row["name"] for row in read_csv("institutions", "universities.csv")}
        real = list(
            Institution.objects.filter(kind=InstitutionKind.UNIVERSITY, name__in=reference)
            .order_by("pk")
            .values_list("pk", "name")
        )
        provinces = {p.code: p.pk for p in Province.objects.all()}
        cities = [
            (row["province_code"], city)
            for row in read_csv("higher_ed", "demo_cities.csv")
            for city in row["cities"].split("|")
        ]
        real_names = {name for _pk, name in real}
        specs: list[InstitutionSpec] = []
        seen: set[str] = set()
        wanted = max(0, self.plan.universities - len(real))
        for suffix in SUFFIXES:
            for code, city in cities:
                name = f"{city}{suffix}"
                if len(specs) >= wanted:
                    break
                if name in real_names or name in seen:
                    continue
                seen.add(name)
                category = (
                    "师范"
                    if "师范" in suffix
                    else "医药"
                    if "医" in suffix
                    else "综合"
                    if suffix in ("大学", "文理学院")
                    else "理工"
                )
                specs.append(
                    InstitutionSpec(name=name, province_id=provinces[code], city=city, category=category)
                )
        institutions_bulk_get_or_create(specs=specs)
        by_name = dict(Institution.objects.filter(name__in=[s.name for s in specs]).values_list("name", "pk"))
        self.university_ids = [pk for pk, _name in real] + [by_name[s.name] for s in specs]
        self.university_names = dict(
            Institution.objects.filter(pk__in=self.university_ids).values_list("pk", "name")
        )
        self.university_province = dict(
            Institution.objects.filter(pk__in=self.university_ids).values_list("pk", "province_id")
        )
        self.university_by_name = {name: pk for pk, name in self.university_names.items()}
        # Big universities offer more courses: weights fall with the rank (the real ones come first).
        self.university_weights = [1 / (1 + rank) ** 0.7 for rank in range(len(self.university_ids))]

    def teachers(self) -> None:
        existing = set(Teacher.objects.values_list("university_id", "name"))
        rows = []
        for index, university_id in enumerate(self.university_ids):
            rng = random.Random(f"{SEED}:teachers:{index}")
            names: list[str] = []
            while len(names) < self.plan.teachers_per_university:
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                if name not in names:
                    names.append(name)
            for name in names:
                if (university_id, name) not in existing:
                    rows.append(Teacher(name=name, title=rng.choice(TITLES), university_id=university_id))
                    existing.add((university_id, name))
        Teacher.objects.bulk_create(rows, batch_size=5000)
        self.pools: dict[int, list[int]] = defaultdict(list)
        for pk, university_id in (
            Teacher.objects.filter(university_id__in=self.university_ids)
            .order_by("pk")
            .values_list("pk", "university_id")
        ):
            self.pools[university_id].append(pk)
        self.real_teachers: dict[str, int] = {}
        for name, university, *_rest in REAL_TEACHERS:
            teacher = Teacher.objects.filter(name=name).order_by("pk").first()
            if teacher is None:
                teacher = services.teacher_create(
                    name=name,
                    university=Institution.objects.filter(name=university).first() if university else None,
                )
            self.real_teachers[name] = teacher.pk

    def learners(self) -> None:
        have = set(
            User.objects.filter(username__startswith=LEARNER_PREFIX).values_list("username", flat=True)
        )
        have |= set(User.objects.filter(username__startswith=BOT_PREFIX).values_list("username", flat=True))
        names = [f"{LEARNER_PREFIX}{i:05d}" for i in range(self.plan.learners)]
        names += [f"{BOT_PREFIX}{i:03d}" for i in range(self.plan.bots)]
        missing = [name for name in names if name not in have]
        homes: dict[str, int] = {}
        users = []
        for name in missing:
            index = int(name.rsplit("_", 1)[1])
            rng = random.Random(f"{SEED}:{name}")
            home = self.university_ids[(index * 7 + rng.randrange(3)) % len(self.university_ids)]
            homes[name] = home
            users.append(
                User(
                    username=name,
                    password="!",  # no password: demo learners never sign in
                    role=Role.STUDENT,
                    first_name="学习者" if name.startswith(LEARNER_PREFIX) else "机器账号",
                    province_id=self.university_province[home],
                    institution=self.university_names[home],
                )
            )
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=5000)
            ids = dict(User.objects.filter(username__in=missing).values_list("username", "pk"))
            Affiliation.objects.bulk_create(
                [Affiliation(user_id=ids[name], institution_id=home) for name, home in homes.items()],
                batch_size=5000,
                ignore_conflicts=True,
            )
        self.learner_ids = list(
            User.objects.filter(username__startswith=LEARNER_PREFIX)
            .order_by("username")
            .values_list("pk", flat=True)
        )
        self.bot_ids = list(
            User.objects.filter(username__startswith=BOT_PREFIX)
            .order_by("username")
            .values_list("pk", flat=True)
        )
        self.homes = dict(
            Affiliation.objects.filter(user_id__in=[*self.learner_ids, *self.bot_ids]).values_list(
                "user_id", "institution_id"
            )
        )

    # --- courses -------------------------------------------------------------------------------------

    def _platform_for(self, rng: random.Random, class_code: str) -> Platform:
        if rng.random() < INTERNATIONAL_SHARE:
            return self.platforms["icourse-intl" if rng.random() < 0.5 else "xuetangx-intl"]
        # The medical platform carries medical courses only.
        medical = class_code.startswith("10")
        shares = [
            (code, share * 8 if medical else 0) if code == "pmphmooc" else (code, share)
            for code, share in DOMESTIC_SHARES
        ]
        codes, weights = zip(*shares, strict=True)
        return self.platforms[rng.choices(codes, weights)[0]]

    def _runs(self, rng: random.Random) -> list[tuple[date, date]]:
        """Past runs, often one open now, sometimes one to come: every status is represented."""
        runs = []
        for back in range(rng.randint(1, 3), 0, -1):
            start = self.today - timedelta(days=182 * back + rng.randint(20, 60))
            runs.append((start, start + timedelta(weeks=rng.randint(10, 16))))
        if rng.random() < 0.7:
            start = self.today - timedelta(days=rng.randint(3, 50))
            runs.append((start, self.today + timedelta(days=rng.randint(20, 90))))
        if rng.random() < 0.4:
            start = self.today + timedelta(days=rng.randint(20, 120))
            runs.append((start, start + timedelta(weeks=rng.randint(10, 16))))
        return runs

    def _units(self, rng: random.Random, title: str) -> list[tuple[str, int, int]]:
        base = title.removesuffix("（英文）")
        outline = self.outlines.get(base)
        if outline is None:
            middle = GENERIC_UNITS[: rng.randint(4, len(GENERIC_UNITS))]
            outline = [f"{base}导论", *middle, "课程总结与复习"]
        return [
            (f"第{i}讲 {name}", rng.randint(3, 9) * 600, rng.choice((0, 1, 1, 2, 3)))
            for i, name in enumerate(outline, start=1)
        ]

    def spec(self, n: int) -> CourseSpec:
        rng = random.Random(f"{SEED}:course:{n}")
        real = REAL_TEACHERS[n] if n < len(REAL_TEACHERS) else None
        if real is not None:
            name, _home, title, slot, offered_by = real
            university_id = self.university_by_name.get(offered_by) or self.university_ids[0]
            teachers = [self.real_teachers[name]]
        else:
            slot = self.slots[n % len(self.slots)]
            titles = self.titles[slot]
            title = titles[(n // len(self.slots)) % len(titles)]
            university_id = rng.choices(self.university_ids, self.university_weights)[0]
            first = len(REAL_TEACHERS) + OFFICER_COURSES
            if first <= n < first + len(self.university_ids):
                university_id = self.university_ids[n - first]  # every university offers at least one course
            if n < first:
                # The demo officer's university offers a dozen courses, credit courses among them.
                university_id = self.university_by_name.get(OFFICER_UNIVERSITY, university_id)
            pool = self.pools.get(university_id, [])
            teachers = rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 3))))
        specialty = self.classes.get(slot)
        category = specialty.category if specialty else self.categories[slot]
        platform = self._platform_for(rng, slot) if real is None else self.platforms["icourse163"]
        international = platform.international
        if international:
            languages = rng.choice(INTERNATIONAL_LANGUAGES)
            if "zh" not in languages:
                title = f"{title}（英文）" if languages[0] == "en" else title
        else:
            languages = ["zh", "en"] if rng.random() < 0.08 else ["zh"]
        credit = rng.random() < CREDIT_SHARE
        if real is not None:
            credit = True
        elif n < len(REAL_TEACHERS) + OFFICER_COURSES:
            credit = n % 2 == 0
        first_class = real is not None or rng.random() < FIRST_CLASS_SHARE
        return CourseSpec(
            n=n,
            title=title,
            category_id=category.pk,
            class_id=specialty.pk if specialty else None,
            class_code=slot,
            university_id=university_id,
            platform=platform,
            languages=languages,
            first_class=first_class,
            credit=credit,
            credits=rng.choice(CREDITS) if credit else None,
            international=international,
            teachers=teachers,
            units=self._units(rng, title),
            runs=self._runs(rng),
            published_at=self.now - timedelta(days=rng.randint(0, 4 * 365), minutes=rng.randint(0, 1440)),
            views=rng.randint(30, 3000) * (3 if first_class else 1),
        )

    def _enrolments(self, spec: CourseSpec, rng: random.Random) -> None:
        """Learners in the course's past and open runs, with progress, completion and score."""
        if not self.learner_ids:
            return
        average = self.plan.enrollments / self.plan.courses
        count = min(len(self.learner_ids), max(0, round(rng.gauss(average, average / 2))))
        runs = [(i, s, e) for i, (s, e) in enumerate(spec.runs) if s <= self.today]
        if not runs:
            return
        latest = self.now - timedelta(hours=1)
        for user_id in rng.sample(self.learner_ids, k=count):
            index, start, end = rng.choice(runs)
            enrolled = _aware(
                start + timedelta(days=rng.randint(0, 10)), rng.randint(8, 22), rng.randint(0, 59)
            )
            enrolled = min(enrolled, latest)
            is_open = end >= self.today
            # In an open run only those who started a month ago have had the time to finish.
            can_finish = not is_open or enrolled < self.now - timedelta(days=30)
            finished = can_finish and rng.random() < (0.1 if is_open else 0.6)
            spec.enrollments.append((user_id, index, enrolled, finished, rng.random(), rng.randint(55, 100)))

    def _course_rows(self, spec: CourseSpec) -> Course:
        teacher_names = [self.teacher_names[pk] for pk in spec.teachers]
        parts = [
            spec.title,
            self.university_names[spec.university_id],
            *teacher_names,
            self.categories_by_id[spec.category_id],
            self.classes_by_id.get(spec.class_id, "") if spec.class_id else "",
            spec.platform.name,
        ]
        statuses = 0
        for start, end in spec.runs:
            statuses |= RUN_STATUS_BITS[rules.run_status_on(start=start, end=end, today=self.today)]
        languages = 0
        for code in spec.languages:
            languages |= LANGUAGE_BITS[code]
        class_name = (
            self.classes_by_id.get(spec.class_id, "")
            if spec.class_id
            else self.categories_by_id[spec.category_id]
        )
        return Course(
            title=spec.title,
            summary=(
                f"本课程由{self.university_names[spec.university_id]}开设，系统讲授{class_name}"
                f"领域“{spec.title.removesuffix('（英文）')}”的基本概念、核心方法与典型应用，"
                "每讲配有视频与随堂测验。"
            ),
            university_id=spec.university_id,
            platform=spec.platform,
            source_id=f"{SOURCE_PREFIX}{spec.n:06d}",
            source_url=f"https://{spec.platform.host}/course/{SOURCE_PREFIX}{spec.n:06d}",
            category_id=spec.category_id,
            specialty_class_id=spec.class_id,
            languages=languages,
            first_class=spec.first_class,
            credit=spec.credit,
            credits=spec.credits,
            international=spec.international,
            run_statuses=statuses,
            total_video_seconds=sum(seconds for _t, seconds, _q in spec.units),
            enrollment_count=len(spec.enrollments),
            view_count=spec.views,
            hot_score=spec.views + services.ENROLMENT_WEIGHT * len(spec.enrollments),
            search_text=rules.search_text(parts),
            published_at=spec.published_at,
        )

    def courses(self) -> None:
        self.teacher_names = dict(Teacher.objects.values_list("pk", "name"))
        self.categories_by_id = {c.pk: c.name for c in self.categories.values()}
        self.classes_by_id = {c.pk: c.name for c in self.classes.values()}
        seeded = Course.objects.filter(source_id__startswith=SOURCE_PREFIX).count()
        todo = list(range(seeded, self.plan.courses))
        for chunk in self.progress(list(_chunks(todo, self.plan.chunk)), desc="higher-ed courses"):
            self._write_chunk(chunk)
            with transaction.atomic():
                catalogue_changed()

    @transaction.atomic
    def _write_chunk(self, numbers: Sequence[int]) -> None:
        specs = []
        for n in numbers:
            spec = self.spec(n)
            self._enrolments(spec, random.Random(f"{SEED}:enrolments:{n}"))
            specs.append(spec)
        courses = Course.objects.bulk_create([self._course_rows(s) for s in specs], batch_size=2000)
        bulk_insert(
            CourseTeacher,
            [
                CourseTeacher(course_id=c.pk, teacher_id=t, order=i)
                for s, c in zip(specs, courses, strict=True)
                for i, t in enumerate(s.teachers)
            ],
        )
        units = CourseUnit.objects.bulk_create(
            [
                CourseUnit(course_id=c.pk, order=i, title=t, video_seconds=sec, quiz_count=q)
                for s, c in zip(specs, courses, strict=True)
                for i, (t, sec, q) in enumerate(s.units, start=1)
            ],
            batch_size=5000,
        )
        units_of: dict[int, list[CourseUnit]] = defaultdict(list)
        for unit in units:
            units_of[unit.course_id].append(unit)
        runs = CourseRun.objects.bulk_create(
            [
                CourseRun(
                    course_id=c.pk,
                    term=rules.term_of(start),
                    start=start,
                    end=end,
                    status=rules.run_status_on(start=start, end=end, today=self.today),
                )
                for s, c in zip(specs, courses, strict=True)
                for start, end in s.runs
            ],
            batch_size=5000,
        )
        runs_of: dict[int, list[CourseRun]] = defaultdict(list)
        for run in runs:
            runs_of[run.course_id].append(run)
        self._write_enrolments(
            [(s, c, runs_of[c.pk], units_of[c.pk]) for s, c in zip(specs, courses, strict=True)]
        )

    def _write_enrolments(
        self, items: list[tuple[CourseSpec, Course, list[CourseRun], list[CourseUnit]]]
    ) -> None:
        rows: list[Enrollment] = []
        plans: list[tuple[Course, list[CourseUnit], list[tuple[int, int, int | None]]]] = []
        for spec, course, runs, units in items:
            for user_id, run_index, enrolled, finished, share, score in spec.enrollments:
                run = runs[run_index]
                reached = len(units) if finished else int(share * len(units))
                states = []
                unit_rows: list[tuple[int, int, int | None]] = []
                for i, unit in enumerate(units):
                    if i < reached:
                        state = (100, unit.quiz_count, score if unit.quiz_count else None)
                    elif i == reached and not finished:
                        state = (int(share * 100) % 90, 0, None)
                    else:
                        state = None
                    if state is not None:
                        unit_rows.append(state)
                    video, done, quiz = state or (0, 0, None)
                    states.append(rules.UnitState(unit.quiz_count, video, done, quiz))
                outcome = rules.course_outcome(states)
                completed_at = None
                if outcome.completed:
                    days = max(14, course.total_video_seconds // 3600 * 2)
                    completed_at = min(enrolled + timedelta(days=days), _aware(run.end, 20), self.now)
                    if completed_at - enrolled < timedelta(seconds=course.total_video_seconds):
                        completed_at = enrolled + timedelta(seconds=course.total_video_seconds * 2)
                rows.append(
                    Enrollment(
                        user_id=user_id,
                        run_id=run.pk,
                        course_id=course.pk,
                        enrolled_at=enrolled,
                        progress=outcome.progress,
                        completed_at=completed_at,
                        score=outcome.score if outcome.completed else None,
                    )
                )
                plans.append((course, units, unit_rows))
        enrollments = Enrollment.objects.bulk_create(rows, batch_size=5000)
        self._write_progress(list(zip(enrollments, plans, strict=True)))

    def _write_progress(self, pairs: list[tuple[Enrollment, tuple]]) -> None:
        progress_rows: list[UnitProgress] = []
        recognitions: list[CreditRecognition] = []
        for enrollment, (course, units, unit_rows) in pairs:
            when = enrollment.completed_at or enrollment.enrolled_at
            for unit, (video, done, quiz) in zip(units, unit_rows, strict=False):
                progress_rows.append(
                    UnitProgress(
                        enrollment_id=enrollment.pk,
                        unit_id=unit.pk,
                        video_percent=video,
                        quizzes_done=done,
                        quiz_score=quiz,
                        updated_at=when,
                    )
                )
            home = self.homes.get(enrollment.user_id)
            if enrollment.completed_at and course.credit and course.credits and home:
                recognitions.append(
                    CreditRecognition(
                        enrollment_id=enrollment.pk,
                        offering_university_id=course.university_id,
                        recognising_university_id=home,
                        credits=course.credits,
                        recognised_at=enrollment.completed_at,
                    )
                )
        bulk_insert(UnitProgress, progress_rows)
        CreditRecognition.objects.bulk_create(recognitions, batch_size=5000)

    # --- suspected automated completions ------------------------------------------------------------

    @transaction.atomic
    def bots(self) -> None:
        """Each bot account completes six credit courses of one day's archived runs, each in minutes."""
        if not self.bot_ids or Enrollment.objects.filter(user_id__in=self.bot_ids).exists():
            return
        sysu = self.university_by_name.get(OFFICER_UNIVERSITY)
        runs = CourseRun.objects.filter(
            status=RunStatus.ARCHIVED, course__credit=True, course__source_id__startswith=SOURCE_PREFIX
        ).select_related("course")
        # The officer's university first, so that the demo officer sees a flag.
        candidates = list(runs.filter(course__university_id=sysu).order_by("-start", "pk")[:3])
        candidates += list(
            runs.exclude(course__university_id=sysu).order_by("-start", "pk")[: 10 * len(self.bot_ids)]
        )
        used: set[int] = set()
        for index, bot in enumerate(self.bot_ids):
            picked: list[CourseRun] = []
            for run in candidates:
                if run.course_id in used or len(picked) == 6:
                    continue
                picked.append(run)
                used.add(run.course_id)
            if len(picked) < 5:
                break
            day = min(run.end for run in picked)
            items = []
            for k, run in enumerate(picked):
                enrolled = _aware(day, 10 + index % 8, k * 5)
                items.append((run, enrolled, enrolled + timedelta(minutes=25)))
            self._bot_enrolments(bot, items)

    def _bot_enrolments(self, bot: int, items: list[tuple[CourseRun, datetime, datetime]]) -> None:
        units_of: dict[int, list[CourseUnit]] = defaultdict(list)
        for unit in CourseUnit.objects.filter(course_id__in=[run.course_id for run, *_ in items]).order_by(
            "order"
        ):
            units_of[unit.course_id].append(unit)
        rows = [
            Enrollment(
                user_id=bot,
                run_id=run.pk,
                course_id=run.course_id,
                enrolled_at=enrolled,
                progress=100,
                completed_at=completed,
                score=100 if any(u.quiz_count for u in units_of[run.course_id]) else None,
            )
            for run, enrolled, completed in items
        ]
        enrollments = Enrollment.objects.bulk_create(rows)
        self._write_progress(
            [
                (
                    e,
                    (
                        run.course,
                        units_of[run.course_id],
                        [(100, u.quiz_count, 100 if u.quiz_count else None) for u in units_of[run.course_id]],
                    ),
                )
                for e, (run, _enrolled, _completed) in zip(enrollments, items, strict=True)
            ]
        )
        for run, *_rest in items:
            Course.objects.filter(pk=run.course_id).update(enrollment_count=models.F("enrollment_count") + 1)

    # --- the demo accounts ----------------------------------------------------------------------------

    def demo_accounts(self) -> None:
        """The officer acts for 中山大学; the student has a course completed, one in progress, one to come."""
        officer = User.objects.filter(username="officer").first()
        sysu = Institution.objects.filter(name="中山大学").first()
        if officer is not None and sysu is not None and not Affiliation.objects.filter(user=officer).exists():
            affiliation_set(user=officer, institution=sysu)
        student = User.objects.filter(username="student").first()
        if student is None or Enrollment.objects.filter(user=student).exists():
            return
        demo = Course.objects.filter(source_id__startswith=SOURCE_PREFIX).order_by("pk")
        archived = CourseRun.objects.filter(course__in=demo, status=RunStatus.ARCHIVED).order_by("pk").first()
        open_run = CourseRun.objects.filter(course__in=demo, status=RunStatus.OPEN).order_by("pk").first()
        upcoming_runs = CourseRun.objects.filter(course__in=demo, status=RunStatus.UPCOMING).order_by("pk")
        if open_run is not None:
            upcoming_runs = upcoming_runs.exclude(course_id=open_run.course_id)
        upcoming = upcoming_runs.first()
        with transaction.atomic():
            if archived is not None:
                enrollment, _created = Enrollment.objects.get_or_create(
                    user=student,
                    run=archived,
                    defaults={
                        "course_id": archived.course_id,
                        "enrolled_at": _aware(archived.start, 19),
                        "progress": 100,
                        "completed_at": _aware(archived.end, 20),
                        "score": 92,
                    },
                )
                UnitProgress.objects.bulk_create(
                    [
                        UnitProgress(
                            enrollment=enrollment,
                            unit=unit,
                            video_percent=100,
                            quizzes_done=unit.quiz_count,
                            quiz_score=92 if unit.quiz_count else None,
                            updated_at=_aware(archived.end, 20),
                        )
                        for unit in CourseUnit.objects.filter(course_id=archived.course_id)
                    ],
                    ignore_conflicts=True,
                )
                Course.objects.filter(pk=archived.course_id).update(
                    enrollment_count=models.F("enrollment_count") + 1
                )
        for run in (open_run, upcoming):
            if run is not None:
                enrollment, created = services.enrollment_create(user=student, run=run)
                if created and run.status == RunStatus.OPEN:
                    first = CourseUnit.objects.filter(course_id=run.course_id).order_by("order").first()
                    if first is not None:
                        services.progress_record(
                            enrollment=enrollment,
                            data=services.ProgressInput(
                                unit=first, video_percent=100, quizzes_done=first.quiz_count, quiz_score=85
                            ),
                        )

    def run(self) -> None:
        self.universities()
        self.teachers()
        self.learners()
        self.courses()
        self.bots()
        self.demo_accounts()
        with transaction.atomic():
            catalogue_changed()
        services.monitoring_refresh()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (
                    Course,
                    CourseRun,
                    CourseUnit,
                    CourseTeacher,
                    Enrollment,
                    UnitProgress,
                    Teacher,
                    Institution,
                ):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")


def seed_higher_ed(*, scale: str, progress: Progress, plan: SeedPlan | None = None) -> None:
    HigherEdSeeder(plan=plan or PLANS[scale], progress=progress).run()


def seeded_counts() -> dict[str, int]:
    visible = Course.objects.visible()
    return {
        "courses": Course.objects.count(),
        "universities": Course.objects.values("university_id").distinct().count(),
        "categories": visible.values("category_id").distinct().count(),
        "classes": visible.exclude(specialty_class=None).values("specialty_class_id").distinct().count(),
        "platforms": Course.objects.values("platform_id").distinct().count(),
        "international": Course.objects.filter(international=True).count(),
        "first_class": Course.objects.filter(first_class=True).count(),
        "credit": Course.objects.filter(credit=True).count(),
        "runs": CourseRun.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "completed": Enrollment.objects.filter(completed_at__isnull=False).count(),
        "teachers": Teacher.objects.count(),
    }
