"""Demo data of the employment front (``manage.py seed_demo``), idempotent; runs after the employment seeder.

* ``small``: the demo ``counsellor`` gets the demo graduate's class (中山大学 2022届 软件工程); a few more
  officers and counsellors at other universities; two graduates marked as needing help; a directive from the
  ministry to every officer and counsellor, read by some of them; a survey answered by one university; and a
  first roll-up of the progress figures.
* ``seed``: 80,000 front-line accounts (60,000 counsellors and 20,000 officers) over the universities,
  bulk-loaded with their affiliations and classes, and a ministry directive delivered to all of them in
  batches (the same service as the Celery task).
"""

from __future__ import annotations

import itertools
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from employment.front import services
from employment.front.models import (
    AudienceKind,
    CounsellorAssignment,
    Directive,
    DirectiveDelivery,
    FieldKind,
    GraduatingClass,
    Survey,
)
from employment.models import GraduateProfile
from smartedu.accounts import services as account_services
from smartedu.accounts.models import Role, User
from smartedu.institutions.models import Affiliation, Institution, InstitutionKind
from smartedu.institutions.services import affiliation_set
from smartedu.portal.registry import Progress, no_progress

DEMO_PASSWORD = "smartedu-demo"
DEMO_UNIVERSITY = "中山大学"
DEMO_CLASS = ("软件工程", 2022)
SMALL_FRONT_LINE = [
    # username, role, university, display name
    ("front_off01", Role.OFFICER, "华南理工大学", "华工就业中心王老师"),
    ("front_off02", Role.OFFICER, "北京大学", "北大就业中心赵老师"),
    ("front_off03", Role.OFFICER, "浙江大学", "浙大就业中心周老师"),
    ("front_cou01", Role.COUNSELLOR, "中山大学", "中大计算机学院刘老师"),
    ("front_cou02", Role.COUNSELLOR, "华南理工大学", "华工自动化学院黄老师"),
    ("front_cou03", Role.COUNSELLOR, "暨南大学", "暨大管理学院吴老师"),
]
DIRECTIVE_TITLE = "关于做好2022届高校毕业生就业“百日冲刺”工作的通知"
DIRECTIVE_BODY = (
    "各高校就业工作部门、各毕业班辅导员：\n\n"
    "距离毕业离校不足百日，请各校落实就业“一把手”工程，做好以下工作：\n"
    "一、逐一联系尚未投递简历的毕业生，摸清求职意向，推送匹配岗位；\n"
    "二、对家庭经济困难、残疾等重点群体毕业生建立帮扶台账，实行“一人一档”“一人一策”；\n"
    "三、组织毕业生参加“24365校园招聘服务”专场招聘活动；\n"
    "四、每周五前在平台上报就业进展数据。\n\n"
    "教育部高校学生司"
)
SEED_DIRECTIVE_TITLE = "关于全面开展毕业生就业情况核查的紧急通知"
SURVEY_TITLE = "2022届毕业生就业工作情况调查"
SEED_COUNSELLORS = 60_000
SEED_OFFICERS = 20_000
SPECIALTIES = ("软件工程", "计算机科学与技术", "会计学", "临床医学", "汉语言文学", "机械设计制造及其自动化")


def seed_front(*, scale: str, progress: Progress = no_progress) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return  # the accounts seeder makes the ministry's account first
    universities = {u.name: u for u in Institution.objects.filter(kind=InstitutionKind.UNIVERSITY)}
    _seed_demo_counsellor(universities)
    _seed_front_line(universities, progress)
    _seed_support()
    _seed_directive(admin, progress)
    _seed_survey(admin)
    if scale == "seed":
        seed_bulk(progress=progress)
    services.progress_rollup(progress=progress)


def _approved(username: str, role: str, university: Institution, display: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            username=username,
            email=f"{username}@demo.smartedu.local",
            password=None,
            role=role,
            province=university.province,
            institution=university.name,
            first_name=display,
        )
        user.password = _password_hash()
        User.objects.filter(pk=user.pk).update(password=user.password)
    if not hasattr(user, "affiliation"):
        affiliation_set(user=user, institution=university)
    if user.approved_at is None:
        account_services.user_approve(user=user, approved_by=User.objects.get(username="admin"))
    return user


def _seed_demo_counsellor(universities: dict[str, Institution]) -> None:
    counsellor = User.objects.filter(username="counsellor").first()
    university = universities.get(DEMO_UNIVERSITY)
    if counsellor is None or university is None:
        return
    if not hasattr(counsellor, "affiliation"):
        affiliation_set(user=counsellor, institution=university)
    specialty, year = DEMO_CLASS
    graduating_class = services.graduating_class_get_or_create(
        university=university, specialty=specialty, graduation_year=year
    )
    CounsellorAssignment.objects.get_or_create(
        user=counsellor, defaults={"graduating_class": graduating_class}
    )


def _seed_front_line(universities: dict[str, Institution], progress: Progress) -> None:
    for username, role, name, display in progress(SMALL_FRONT_LINE, desc="front line"):
        if name not in universities:
            continue
        user = _approved(username, role, universities[name], display)
        if role == Role.COUNSELLOR and not hasattr(user, "counsellor_assignment"):
            specialty, year = DEMO_CLASS
            graduating_class = services.graduating_class_get_or_create(
                university=universities[name], specialty=specialty, graduation_year=year
            )
            CounsellorAssignment.objects.create(user=user, graduating_class=graduating_class)


def _seed_support() -> None:
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return
    graduates = GraduateProfile.objects.filter(university__name=DEMO_UNIVERSITY).exclude(
        user__username="graduate"
    )
    notes = ("家庭经济困难，已申请求职创业补贴", "身体残疾，需推荐适合岗位")
    for graduate, note in zip(graduates.order_by("pk")[:2], notes, strict=False):
        if not hasattr(graduate, "support"):
            services.graduate_support_set(actor=officer, graduate=graduate, needs_help=True, note=note)


def _seed_directive(admin: User, progress: Progress) -> None:
    directive = Directive.objects.filter(sender=admin, title=DIRECTIVE_TITLE).first()
    if directive is None:
        if not services.front_line_users().exists():
            return
        directive = services.directive_send(
            sender=admin, title=DIRECTIVE_TITLE, body=DIRECTIVE_BODY, audience=AudienceKind.ALL
        )
    services.directive_deliver(directive_id=directive.pk)
    # Some recipients have read it (the demo officer has not: its inbox shows one unread).
    readers = DirectiveDelivery.objects.filter(
        directive=directive,
        recipient__username__in=("front_off01", "front_off02", "front_cou01", "counsellor"),
    )
    for delivery in readers:
        services.directive_read(delivery=delivery)


def _seed_survey(admin: User) -> None:
    if Survey.objects.filter(author=admin, title=SURVEY_TITLE).exists():
        return
    survey = services.survey_create(
        author=admin,
        title=SURVEY_TITLE,
        description="请各高校就业工作部门如实填报截至本周五的就业工作情况，截止前可修改。",
        fields=[
            services.FieldInput(label="已落实去向毕业生人数", kind=FieldKind.INTEGER),
            services.FieldInput(label="本月举办校园招聘活动场次", kind=FieldKind.INTEGER),
            services.FieldInput(
                label="是否已建立困难毕业生帮扶台账",
                kind=FieldKind.CHOICE,
                choices=["已建立", "建设中", "未建立"],
            ),
            services.FieldInput(label="工作中遇到的主要困难", kind=FieldKind.TEXT, required=False),
        ],
    )
    responder = User.objects.filter(username="front_off01").first()
    if responder is not None:
        keys = [item.key for item in survey.fields.all()]
        services.survey_answer(
            actor=responder,
            survey=survey,
            answers=dict(zip(keys, [3215, 12, "已建立", "部分专业岗位供给不足"], strict=True)),
        )


# --- Seed scale: 80,000 front-line accounts --------------------------------------------------------------

_hashed: list[str] = []


def _password_hash() -> str:
    """The demo password hashed once: argon2 per account would take hours for 80,000 accounts."""
    if not _hashed:
        _hashed.append(make_password(DEMO_PASSWORD))
    return _hashed[0]


def _bulk_accounts(
    *, prefix: str, role: str, total: int, universities: list[Institution], now: datetime, progress: Progress
) -> None:
    """Create ``prefix``000001… up to ``total``, those missing only, with affiliations, in chunks of 5,000."""
    existing = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    names = [f"{prefix}{n:06d}" for n in range(1, total + 1)]
    missing = [(n, name) for n, name in enumerate(names) if name not in existing]
    chunk = 5000
    chunks = [missing[i : i + chunk] for i in range(0, len(missing), chunk)]
    for rows in progress(chunks, total=len(chunks), desc=f"{role}s ×5000"):
        with transaction.atomic():
            users = [
                User(
                    username=name,
                    email=f"{name}@front.demo.smartedu.local",
                    password=_password_hash(),
                    role=role,
                    province_id=universities[n % len(universities)].province_id,
                    institution=universities[n % len(universities)].name,
                    approved_at=now,
                )
                for n, name in rows
            ]
            User.objects.bulk_create(users, batch_size=chunk)
            ids = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
            )
            Affiliation.objects.bulk_create(
                [
                    Affiliation(user_id=ids[name], institution_id=universities[n % len(universities)].pk)
                    for n, name in rows
                ],
                batch_size=chunk,
                ignore_conflicts=True,
            )


def _bulk_assign_classes(*, universities: list[Institution], progress: Progress) -> None:
    """Each bulk counsellor looks after a class of its university (specialty × 2022/2023)."""
    years = (2022, 2023)
    GraduatingClass.objects.bulk_create(
        [
            GraduatingClass(university_id=u.pk, specialty=s, graduation_year=y)
            for u, s, y in itertools.product(universities, SPECIALTIES, years)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    classes = {
        (c.university_id, c.specialty, c.graduation_year): c.pk
        for c in GraduatingClass.objects.filter(university__in=universities)
    }
    pending = (
        User.objects.filter(username__startswith="front_c", counsellor_assignment__isnull=True)
        .order_by("pk")
        .values_list("pk", "username", "affiliation__institution_id")
    )
    rows = list(pending)
    chunk = 5000
    for start in progress(range(0, len(rows), chunk), total=-(-len(rows) // chunk), desc="classes ×5000"):
        CounsellorAssignment.objects.bulk_create(
            [
                CounsellorAssignment(
                    user_id=pk,
                    graduating_class_id=classes[
                        (uni, SPECIALTIES[int(name[-6:]) % len(SPECIALTIES)], years[int(name[-6:]) % 2])
                    ],
                )
                for pk, name, uni in rows[start : start + chunk]
            ],
            ignore_conflicts=True,
        )


def seed_bulk(*, progress: Progress = no_progress) -> None:
    """80,000 front-line accounts and a ministry directive to every one of them (tops up when run again)."""
    universities = list(Institution.objects.filter(kind=InstitutionKind.UNIVERSITY).order_by("pk"))
    if not universities:
        return
    now = timezone.now()
    _bulk_accounts(
        prefix="front_c", role=Role.COUNSELLOR, total=SEED_COUNSELLORS, universities=universities, now=now,
        progress=progress,
    )  # fmt: skip
    _bulk_accounts(
        prefix="front_o", role=Role.OFFICER, total=SEED_OFFICERS, universities=universities, now=now,
        progress=progress,
    )  # fmt: skip
    _bulk_assign_classes(universities=universities, progress=progress)
    admin = User.objects.get(username="admin")
    directive = Directive.objects.filter(sender=admin, title=SEED_DIRECTIVE_TITLE).first()
    if directive is None:
        directive = services.directive_send(
            sender=admin,
            title=SEED_DIRECTIVE_TITLE,
            body="请各高校于本周内完成毕业生就业去向登记信息的逐一核查，确保数据真实准确。",
            audience=AudienceKind.ALL,
            urgent=True,
        )
    # The Celery task's own service, run here so that the seeder ends with the directive delivered.
    for _ in progress([directive.pk], desc="directive"):
        services.directive_deliver(directive_id=directive.pk)
