"""Demo data of the employment platform (``manage.py seed_demo``), idempotent.

* ``small``: registry records for a dozen real universities; graduates in every state (the demo ``graduate``
  verified, with an intention, a résumé and consent); verified, pending and rejected employers (the demo
  ``employer`` verified); a few hundred jobs across provinces and industries (a few held by the review
  rules); applications at every stage, with messages. Everything goes through the services.
* ``seed``: the launch figures — about 200,000 employers and 3.8 million jobs across the 31 provinces and 20
  industries, written with PostgreSQL ``COPY`` (``bulk_create`` on SQLite) in chunks with a progress bar,
  the job indexes dropped before and built after. COPY sends no signal, so each chunk queues its rows for
  the search index (``search_mark_changed``, drained by Celery) or, with ``seed_bulk(with_documents=True)``
  (the job search benchmark), writes their documents itself in its own transaction: built from the rows
  just written (``JobDocumentLoader``, equal to the indexing path's documents) and copied in
  (``search_load``), the GIN built once at the end. Rows are numbered, so a second run tops up what is
  missing.

Random choices come from generators seeded per row, so the same row is always the same.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from employment import rules, services
from employment.models import (
    Application,
    ApplicationStatus,
    Degree,
    Employer,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    GraduateProfile,
    Industry,
    Job,
    JobStatus,
    JobType,
    RegistryRecord,
    ResumeSection,
    job_fields_for_copy,
)
from employment.search import JOB_LOAD_FIELDS, JobDocumentLoader
from smartedu.accounts import services as account_services
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.models import Institution
from smartedu.institutions.services import affiliation_set
from smartedu.portal.reference import read_csv
from smartedu.portal.registry import Progress, no_progress
from smartedu.search.services import (
    search_bulk_writes,
    search_load,
    search_load_objects,
    search_mark_changed,
)
from smartedu.search.text import bulk_token_cache

DATA = Path(__file__).resolve().parent / "seed_data"
DEMO_PASSWORD = "smartedu-demo"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建文晨宇浩然欣怡子涵梓萱思远佳琪雨轩"
UNIVERSITIES = (
    "中山大学",
    "华南理工大学",
    "暨南大学",
    "北京大学",
    "清华大学",
    "浙江大学",
    "复旦大学",
    "武汉大学",
    "四川大学",
    "西安交通大学",
    "南京大学",
    "山东大学",
)
GRADUATION_YEAR = 2022
DEMO_GRADUATE = ("林小红", "440106200003150023", "中山大学", "软件工程", Degree.BACHELOR)
DEMO_EMPLOYER = ("深圳示例科技有限公司", "I", "44", "深圳")
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class SeedPlan:
    graduates: int  # extra graduate accounts besides the demo one
    employers: int
    jobs: int
    registry_per_university: int
    bulk: bool  # employers and jobs written with COPY / bulk_create instead of the services
    chunk: int = 20_000


PLANS = {
    "small": SeedPlan(graduates=12, employers=30, jobs=300, registry_per_university=30, bulk=False),
    "seed": SeedPlan(graduates=12, employers=200_000, jobs=3_800_000, registry_per_university=30, bulk=True),
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def id_number_for(rng: random.Random, province_code: str) -> str:
    birth = date(1999, 1, 1) + timedelta(days=rng.randrange(4 * 365))
    first17 = f"{province_code}{rng.randrange(100, 10000):04d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + rules.id_check_character(first17)


def credit_code_for(n: int, province_code: str) -> str:
    """The ``n``-th demo organisation's code: 91 (enterprise) + division + a 9-character organisation code."""
    alphabet = rules.CREDIT_ALPHABET
    body, digits = n, []
    for _ in range(9):
        body, rest = divmod(body, 31)
        digits.append(alphabet[rest])
    first17 = f"91{province_code}0100" + "".join(reversed(digits))
    return first17 + rules.credit_check_character(first17)


def seed_employment(*, scale: str, progress: Progress = no_progress) -> None:
    plan = PLANS.get(scale, PLANS["small"])
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = account_services.user_create(
            username="admin",
            email="admin@demo.smartedu.local",
            password=DEMO_PASSWORD,
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
        )
    provinces = {p.code: p for p in Province.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}
    universities = {u.name: u for u in Institution.objects.filter(name__in=UNIVERSITIES)}
    _seed_registry(plan, universities, progress)
    _seed_officer(universities)
    graduates = _seed_graduates(plan, universities, provinces, industries, progress)
    employers = _seed_employers(plan, admin, provinces, industries, progress)
    jobs = _seed_jobs_small(employers, provinces, industries, progress)
    _seed_applications(graduates, jobs, progress)
    if plan.bulk:
        # The documents of 3.8 million jobs are left to the Celery drain (see seed_bulk).
        seed_bulk(plan=plan, progress=progress, with_documents=False)


def _seed_registry(plan: SeedPlan, universities: dict[str, Institution], progress: Progress) -> None:
    admin = User.objects.get(username="admin")
    specialties = (DATA / "specialties.txt").read_text(encoding="utf-8").split()
    lines = ["name,id_number,university,specialty,degree,graduation_year"]
    name, id_number, university, specialty, degree = DEMO_GRADUATE
    lines.append(f"{name},{id_number},{university},{specialty},{degree},{GRADUATION_YEAR}")
    for uni_name, uni in sorted(universities.items()):
        rng = random.Random(f"employment:registry:{uni_name}")
        for i in range(plan.registry_per_university):
            lines.append(
                ",".join(
                    (
                        _name(rng),
                        id_number_for(rng, uni.province.code),
                        uni_name,
                        specialties[i % 4 if i < 24 else rng.randrange(len(specialties))],
                        Degree.MASTER if i % 7 == 6 else Degree.BACHELOR,
                        str(GRADUATION_YEAR),
                    )
                )
            )
    if RegistryRecord.objects.count() >= len(lines) - 1:
        return
    services.registry_import(actor=admin, text="\n".join(lines), progress=progress)


def _seed_officer(universities: dict[str, Institution]) -> None:
    """The demo officer and counsellor act for the demo graduate's university."""
    for username in ("officer", "counsellor"):
        user = User.objects.filter(username=username).first()
        if user is not None and "中山大学" in universities and not hasattr(user, "affiliation"):
            affiliation_set(user=user, institution=universities["中山大学"])


_hashed: list[str] = []


def _demo_password_hash() -> str:
    """The demo password hashed once: argon2 per account would make the seeder slow for no gain."""
    if not _hashed:
        _hashed.append(make_password(DEMO_PASSWORD))
    return _hashed[0]


def _with_demo_password(user: User) -> User:
    user.password = _demo_password_hash()
    User.objects.filter(pk=user.pk).update(password=user.password)
    return user


def _graduate_account(username: str, display: str, province: Province | None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            username=username,
            email=f"{username}@demo.smartedu.local",
            password=None,
            role=Role.GRADUATE,
            province=province,
            first_name=display,
        )
        _with_demo_password(user)
    return user


def _seed_graduates(
    plan: SeedPlan,
    universities: dict[str, Institution],
    provinces: dict[str, Province],
    industries: dict[str, Industry],
    progress: Progress,
) -> list[User]:
    """The demo graduate (verified, intention, résumé, consent) and others in every state."""
    graduates: list[User] = []
    demo = User.objects.filter(username="graduate").first() or _graduate_account(
        "graduate", "毕业生小红", provinces["44"]
    )
    name, id_number, university, specialty, degree = DEMO_GRADUATE
    if university in universities and not GraduateProfile.objects.filter(user=demo).exists():
        services.graduate_verify(
            user=demo,
            name=name,
            id_number=id_number,
            university=universities[university],
            specialty=specialty,
            degree=degree,
            graduation_year=GRADUATION_YEAR,
        )
        _fill(
            demo,
            rng=random.Random("employment:demo"),
            provinces=[provinces["44"]],
            cities="深圳,广州",
            positions="软件开发,Java开发",
            industries=[industries["I"]],
            consent=True,
        )
    graduates.append(demo)
    records = list(
        RegistryRecord.objects.exclude(id_number=id_number)
        .select_related("university")
        .order_by("pk")[: plan.graduates]
    )
    for n, record in enumerate(progress(records, desc="graduates")):
        rng = random.Random(f"employment:graduate:{n}")
        user = _graduate_account(f"em_grad{n + 1:02d}", record.name, record.university.province)
        # States: 0 unverified; 1 verified only; 2 with an intention; 3 with a résumé, no consent; else all.
        state = n % 5
        if state == 0:
            continue
        if not GraduateProfile.objects.filter(user=user).exists():
            services.graduate_verify(
                user=user,
                name=record.name,
                id_number=record.id_number,
                university=record.university,
                specialty=record.specialty,
                degree=record.degree,
                graduation_year=record.graduation_year,
            )
            if state >= 2:
                _fill(
                    user,
                    rng=rng,
                    provinces=[record.university.province],
                    cities="",
                    positions="",
                    industries=rng.sample(list(industries.values()), 2),
                    consent=state == 4,
                    resume=state >= 3,
                )
        graduates.append(user)
    return graduates


def _fill(
    user: User,
    *,
    rng: random.Random,
    provinces: list[Province],
    cities: str,
    positions: str,
    industries: list[Industry],
    consent: bool,
    resume: bool = True,
) -> None:
    services.intention_save(
        user=user,
        industries=industries,
        provinces=provinces,
        cities=cities,
        positions=positions,
        salary_min=6000,
        salary_max=15000,
        job_type=JobType.FULL_TIME,
        available_from=date(GRADUATION_YEAR, 7, 1),
    )
    if not resume:
        return
    profile = GraduateProfile.objects.select_related("university").get(user=user)
    services.resume_save(
        user=user,
        headline=f"{profile.specialty}专业应届毕业生",
        phone=f"138{rng.randrange(10**8):08d}",
        email=user.email,
        skills="Python、Java、SQL；英语六级",
        certificates="全国计算机等级考试二级",
        awards="校级一等奖学金",
    )
    services.resume_entries_replace(
        user=user,
        entries=[
            services.EntryInput(
                section=ResumeSection.EDUCATION,
                title=f"{profile.specialty} · {profile.get_degree_display()}",
                organisation=profile.university.name,
                start=date(GRADUATION_YEAR - 4, 9, 1),
                end=date(GRADUATION_YEAR, 6, 30),
            ),
            services.EntryInput(
                section=ResumeSection.INTERNSHIP,
                title="软件开发实习生",
                organisation="广州某信息技术有限公司",
                start=date(GRADUATION_YEAR - 1, 7, 1),
                end=date(GRADUATION_YEAR - 1, 9, 30),
                description="参与订单系统接口开发与测试。",
            ),
            services.EntryInput(
                section=ResumeSection.PROJECT,
                title="校园二手交易平台",
                organisation="课程设计",
                description="负责后端与数据库设计。",
            ),
        ],
    )
    if consent:
        services.resume_consent_set(user=user, consent=True)


def _titles() -> dict[str, list[str]]:
    return {
        row["industry"]: row["titles"].split("|")
        for row in read_csv("employment", "../seed_data/job_titles.csv")
    }


def _cities() -> dict[str, list[str]]:
    return {r["province_code"]: r["cities"].split("|") for r in read_csv("employment", "cities.csv")}


def _employer_account(username: str, display: str, province: Province) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            username=username,
            email=f"{username}@demo.smartedu.local",
            password=None,
            role=Role.EMPLOYER,
            province=province,
            institution=display,
            first_name="招聘专员",
        )
        _with_demo_password(user)
    return user


def _seed_employers(
    plan: SeedPlan,
    admin: User,
    provinces: dict[str, Province],
    industries: dict[str, Industry],
    progress: Progress,
) -> list[Employer]:
    employers: list[Employer] = []
    codes = sorted(provinces)
    cities = _cities()
    specs = [("employer", *DEMO_EMPLOYER)]
    for n in range(1, min(plan.employers, 30) + 1):
        rng = random.Random(f"employment:employer:{n}")
        province = codes[n % len(codes)]
        city = rng.choice(cities.get(province, [provinces[province].short_name]))
        industry = sorted(industries)[n % len(industries)]
        kind = rng.choice(("科技", "实业", "信息技术", "医药", "教育科技", "物流", "建设", "商贸"))
        specs.append(
            (
                f"em_emp{n:02d}",
                f"{city}{rng.choice('华宏瑞鑫恒泰嘉诚远航')}{kind}有限公司",
                industry,
                province,
                city,
            )
        )
    for n, (username, name, industry, province, city) in enumerate(progress(specs, desc="employers")):
        user = _employer_account(username, name, provinces[province])
        employer = Employer.objects.filter(user=user).first()
        if employer is None:
            employer = services.employer_register(
                user=user,
                name=name,
                credit_code=credit_code_for(n + 1, province),
                industry=industries[industry],
                province=provinces[province],
                city=city,
                size=EmployerSize.MEDIUM,
                type=EmployerType.PRIVATE,
                licence=SimpleUploadedFile("licence.pdf", MINIMAL_PDF, content_type="application/pdf"),
                description=f"{name}是一家位于{city}的{industries[industry].name}企业，长期招聘应届毕业生。",
            )
            # Every tenth is left waiting and one is rejected, so the review queue has work.
            if n % 10 == 9:
                pass
            elif n == 5:
                employer = services.employer_review(
                    employer=employer,
                    actor=admin,
                    decision=EmployerStatus.REJECTED,
                    note="营业执照与名称不符",
                )
            else:
                employer = services.employer_review(
                    employer=employer, actor=admin, decision=EmployerStatus.VERIFIED
                )
        employers.append(employer)
    return [e for e in employers if e.status == EmployerStatus.VERIFIED]


def _seed_jobs_small(
    employers: list[Employer],
    provinces: dict[str, Province],
    industries: dict[str, Industry],
    progress: Progress,
) -> list[Job]:
    if not employers:
        return []
    existing = list(Job.objects.filter(employer__in=employers).order_by("pk"))
    if existing:
        return existing
    titles = _titles()
    cities = _cities()
    specialty_classes = [r["class_code"] for r in read_csv("employment", "specialty_classes.csv")]
    jobs: list[Job] = []
    codes = sorted(provinces)
    for n in progress(range(300), desc="jobs"):
        rng = random.Random(f"employment:job:{n}")
        employer = employers[n % len(employers)]
        industry = employer.industry if n % 3 else industries[sorted(industries)[n % len(industries)]]
        province_code = employer.province.code if n % 4 else codes[n % len(codes)]
        low = rng.choice((4000, 5000, 6000, 8000, 10000, 12000, 15000))
        title = rng.choice(titles[industry.code])
        wanted = rng.choice(["本科及以上学历", "专科及以上学历", "硕士研究生学历"])
        description = f"岗位职责：负责{title}相关工作。任职要求：{wanted}，专业对口，责任心强。"
        if n in (7, 77):
            description += "限男性。"  # held by the review rules
        job = services.job_create(
            actor=employer.user,
            data=services.JobInput(
                title=title,
                description=description,
                industry=industry,
                province=provinces[province_code],
                city=rng.choice(cities.get(province_code, [provinces[province_code].short_name])),
                education=rng.choice((Degree.BACHELOR, Degree.BACHELOR, Degree.ASSOCIATE, Degree.MASTER)),
                salary_min=low,
                salary_max=low + rng.choice((2000, 4000, 6000)),
                job_type=JobType.INTERNSHIP if n % 9 == 0 else JobType.FULL_TIME,
                specialty_class=rng.choice(specialty_classes),
                headcount=rng.randrange(1, 10),
            ),
        )
        Job.objects.filter(pk=job.pk).update(posted_at=timezone.now() - timedelta(hours=n * 3))
        jobs.append(job)
    return [j for j in jobs if j.status == JobStatus.OPEN]


def _seed_applications(graduates: list[User], jobs: list[Job], progress: Progress) -> None:
    """Applications at every stage, with messages (the demo graduate's go to the demo employer)."""
    if not jobs:
        return
    verified = [g for g in graduates if GraduateProfile.objects.filter(user=g).exists()]
    stages = [
        [],
        [ApplicationStatus.VIEWED],
        [ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW],
        [ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER],
        [
            ApplicationStatus.VIEWED,
            ApplicationStatus.INTERVIEW,
            ApplicationStatus.OFFER,
            ApplicationStatus.HIRED,
        ],
        [ApplicationStatus.VIEWED, ApplicationStatus.REJECTED],
    ]
    demo_jobs = [j for j in jobs if j.employer.user.username == "employer"]
    for n, graduate in enumerate(progress(verified, desc="applications")):
        if Application.objects.filter(graduate=graduate).exists():
            continue  # seeded by an earlier run
        pool = demo_jobs if graduate.username == "graduate" else jobs
        for k in range(2):
            job = pool[(n * 2 + k) % len(pool)]
            application, _ = services.application_create(graduate=graduate, job=job)
            steps = stages[(n + k) % len(stages)]
            for status in steps:
                application = services.application_status_set(
                    actor=job.employer.user, application=application, status=status
                )
            if steps:
                services.message_send(
                    sender=job.employer.user,
                    application=application,
                    body="您好，感谢投递，请问本周三下午方便面试吗？",
                )
                services.message_send(
                    sender=graduate, application=application, body="您好，周三下午可以，谢谢！"
                )
        if graduate.username != "graduate" and application.status in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.VIEWED,
        ):
            services.application_withdraw(graduate=graduate, application=application)


# --- Seed scale: COPY --------------------------------------------------------------------------------------


SEED_PREFIX = "se_emp_"


def _copy_rows(table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> None:
    """``COPY table (columns) FROM STDIN`` (CSV) on PostgreSQL, ``INSERT`` batches elsewhere."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(v.isoformat() if isinstance(v, datetime) else v for v in row)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, [list(row) for row in rows])  # type: ignore[arg-type]


def _load_values(
    ids: list[int], rows: list[tuple[object, ...]], columns: list[str]
) -> Iterator[tuple[object, ...]]:
    """The copied job rows as ``JOB_LOAD_FIELDS`` tuples (what the loader would read back)."""
    at = {column: index for index, column in enumerate(columns)}
    picks = [at[field] for field in JOB_LOAD_FIELDS[1:]]
    # choices as their plain values, as a read from the database gives them
    texts = [JOB_LOAD_FIELDS.index("education"), JOB_LOAD_FIELDS.index("job_type")]
    for pk, row in zip(ids, rows, strict=True):
        values = [pk, *(row[index] for index in picks)]
        for index in texts:
            values[index] = str(values[index])
        yield tuple(values)


def seed_bulk(*, plan: SeedPlan, progress: Progress = no_progress, with_documents: bool = True) -> None:
    """Top up bulk employers and jobs (``_seed_bulk``).

    ``with_documents``: write their search documents in the load (``search_load``; on PostgreSQL the GIN
    is built once after it). Several minutes at 3.8 million jobs on 2 cores: the seed demo passes False
    to stay within its 10-minute budget and queues the rows for the Celery drain instead; the job search
    benchmark loads them here.
    """
    if not with_documents:
        _seed_bulk(plan=plan, progress=progress, with_documents=False)
        return
    with search_bulk_writes(progress=progress), bulk_token_cache():
        _seed_bulk(plan=plan, progress=progress, with_documents=True)


def _seed_bulk(*, plan: SeedPlan, progress: Progress, with_documents: bool) -> None:
    """Top up bulk employers (with their accounts) and jobs to ``plan``, in numbered chunks.

    Accounts get no usable password; employers are verified and their accounts approved at once (demo data
    at scale, not decisions: the review log is for the small set). Job indexes are dropped before the jobs
    are copied and built after, which is several times faster than maintaining them row by row.
    """
    User_ = apps.get_model("accounts", "User")
    provinces = list(Province.objects.order_by("code"))
    industries = list(Industry.objects.order_by("code"))
    titles = _titles()
    cities = _cities()
    now = timezone.now()
    have = Employer.objects.filter(user__username__startswith=SEED_PREFIX).count()
    for start in progress(
        range(have, plan.employers, plan.chunk),
        total=max(0, -(-(plan.employers - have) // plan.chunk)),
        desc="employers (bulk)",
    ):
        end = min(start + plan.chunk, plan.employers)
        with transaction.atomic():
            users = [
                User_(
                    username=f"{SEED_PREFIX}{n}",
                    email="",
                    password="!",
                    role=Role.EMPLOYER,
                    province_id=provinces[n % 31].pk,
                    institution=f"示例企业{n}",
                    approved_at=now,
                    date_joined=now,
                    is_active=True,
                )
                for n in range(start, end)
            ]
            User_.objects.bulk_create(users, batch_size=5000)
            ids = dict(
                User_.objects.filter(
                    username__startswith=SEED_PREFIX, pk__gte=users[0].pk if users[0].pk else 0
                ).values_list("username", "pk")
            )
            rows = (
                (
                    ids[f"{SEED_PREFIX}{n}"],
                    f"{provinces[n % 31].short_name}示例企业{n}有限公司",
                    credit_code_for(1000 + n, provinces[n % 31].code),
                    industries[n % 20].pk,
                    provinces[n % 31].pk,
                    cities.get(provinces[n % 31].code, [""])[
                        n % 3 if len(cities.get(provinces[n % 31].code, [])) > 3 else 0
                    ],
                    EmployerSize.SMALL,
                    EmployerType.PRIVATE,
                    "",
                    "",
                    EmployerStatus.VERIFIED,
                    now,
                    now,
                    0,
                )
                for n in range(start, end)
            )
            _copy_rows(
                Employer._meta.db_table,
                [
                    "user_id",
                    "name",
                    "credit_code",
                    "industry_id",
                    "province_id",
                    "city",
                    "size",
                    "type",
                    "description",
                    "licence",
                    "status",
                    "reviewed_at",
                    "created_at",
                    "view_count",
                ],
                rows,
            )
            # COPY sends no signal: the chunk's documents are written here (the indexing path's own), or
            # queued for the Celery drain.
            employer_pks = Employer.objects.filter(user_id__in=ids.values()).values_list("pk", flat=True)
            if with_documents:
                search_load_objects(kind="employment.employer", ids=employer_pks)
            else:
                search_mark_changed(kind="employment.employer", ids=employer_pks)
    employer_ids = list(
        Employer.objects.filter(user__username__startswith=SEED_PREFIX)
        .order_by("pk")
        .values_list("pk", "industry_id", "province_id")
    )
    if not employer_ids:
        return
    have_jobs = Job.objects.filter(employer__user__username__startswith=SEED_PREFIX).count()
    if have_jobs >= plan.jobs:
        return
    # PostgreSQL: drop the job indexes and build them after the copy. Not inside an outer transaction (a
    # test's), where pending foreign-key checks forbid CREATE INDEX; SQLite keeps them (small plans only).
    rebuild = connection.vendor == "postgresql" and not connection.in_atomic_block
    indexes = list(Job._meta.indexes) if rebuild else []
    if indexes:
        with connection.schema_editor() as editor:
            for index in indexes:
                editor.remove_index(Job, index)
    try:
        columns = job_fields_for_copy()
        loader = (
            JobDocumentLoader(
                employer_names=dict(Employer.objects.verified().values_list("pk", "name").iterator(5000))
            )
            if with_documents
            else None
        )
        by_province = {p.pk: p for p in provinces}
        industry_codes = {i.pk: i.code for i in industries}
        total_chunks = -(-(plan.jobs - have_jobs) // plan.chunk)
        for start in progress(
            range(have_jobs, plan.jobs, plan.chunk), total=total_chunks, desc="jobs (COPY)"
        ):
            end = min(start + plan.chunk, plan.jobs)

            def job_rows(start: int = start, end: int = end) -> Iterator[tuple[object, ...]]:
                for n in range(start, end):
                    employer_id, industry_id, province_id = employer_ids[n % len(employer_ids)]
                    code = by_province[province_id].code
                    names = titles[industry_codes[industry_id]]
                    place = cities.get(code) or [by_province[province_id].short_name]
                    low = 3000 + (n * 7919 % 25) * 500
                    yield (
                        employer_id,
                        names[n % len(names)],
                        f"岗位职责：负责{names[n % len(names)]}相关工作。",
                        industry_id,
                        province_id,
                        place[n % len(place)],
                        (Degree.BACHELOR, Degree.ASSOCIATE, Degree.MASTER, Degree.BACHELOR)[n % 4],
                        "",
                        JobType.FULL_TIME if n % 9 else JobType.INTERNSHIP,
                        low,
                        low + 2000 + (n % 4) * 2000,
                        1 + n % 5,
                        JobStatus.OPEN,
                        "[]",
                        now - timedelta(minutes=n % 200_000),
                        now + timedelta(days=30 + n % 150),
                        0,
                    )

            batch = list(job_rows())
            with transaction.atomic():
                last = Job.objects.aggregate(last=Max("pk"))["last"] or 0
                _copy_rows(Job._meta.db_table, columns, iter(batch))
                # COPY sends no signal: the chunk's search documents are built from the rows just written
                # (every one visible: open, unexpired, of a verified employer) and loaded in the same
                # transaction. The copy numbers them in order, so the new ids pair with the rows.
                copied = Job.objects.filter(pk__gt=last)
                if loader is not None:
                    job_ids = list(copied.order_by("pk").values_list("pk", flat=True))
                    if len(job_ids) != len(batch):
                        raise RuntimeError(f"copied {len(batch)} jobs, found {len(job_ids)} new ids")
                    search_load(rows=loader.rows(_load_values(job_ids, batch, columns), now=now))
                else:  # queued in the database (INSERT … SELECT): the ids never come to Python
                    search_mark_changed(kind="employment.job", ids=copied.values_list("pk", flat=True))
    finally:
        if indexes:
            with connection.schema_editor() as editor:
                for index in progress(indexes, desc="job indexes"):
                    editor.add_index(Job, index)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from empty tables
                for table in (Job._meta.db_table, Employer._meta.db_table, User._meta.db_table):
                    cursor.execute(f"ANALYZE {table}")
