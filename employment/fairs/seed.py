"""Demo fairs: at small scale a running sector fair and a past joint double-selection fair (with approved
employers, their jobs and applications, made through the services); ``--scale seed`` adds the 25 sector
fairs of the launch figures, bulk-created."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from employment.fairs import services
from employment.fairs.models import Fair, FairKind
from employment.models import Employer, GraduateProfile, Industry, Job
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution
from smartedu.portal.registry import Progress, no_progress
from smartedu.search.services import search_mark_changed

RUNNING_TITLE = "2026届高校毕业生信息通信与互联网行业专场招聘会"
PAST_TITLE = "2025年秋季粤港澳大湾区高校毕业生供需见面双选会"

# The 25 sector fairs of the seed (title, GB/T 4754 section that their views roll up to).
SECTORS: list[tuple[str, str]] = [
    ("医疗卫生", "Q"),
    ("信息通信与互联网", "I"),
    ("先进制造", "C"),
    ("新能源与电力", "D"),
    ("建筑与工程", "E"),
    ("交通运输与物流", "G"),
    ("金融", "J"),
    ("教育", "P"),
    ("文化旅游", "R"),
    ("现代农业", "A"),
    ("生物医药", "C"),
    ("集成电路", "C"),
    ("人工智能", "I"),
    ("航空航天", "C"),
    ("新材料", "C"),
    ("汽车与新能源汽车", "C"),
    ("节能环保", "N"),
    ("现代服务业", "L"),
    ("商贸流通", "F"),
    ("房地产与城市服务", "K"),
    ("科研与技术服务", "M"),
    ("公共管理与社会组织", "S"),
    ("水利与生态", "N"),
    ("能源化工", "B"),
    ("乡村振兴与基层就业", "A"),
]


def seed_fairs(*, scale: str, progress: Progress = no_progress) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    _seed_small(admin, progress)
    if scale == "seed":
        _seed_sector_fairs(progress)


def _participants(limit: int) -> list[tuple[User, list[Job]]]:
    """Verified employers with open jobs (the demo employer first), with up to three of their jobs."""
    found: list[tuple[User, list[Job]]] = []
    employers = Employer.objects.verified().select_related("user").order_by("-user__username")
    demo = employers.filter(user__username="employer").first()
    ordered = ([demo] if demo else []) + list(employers.exclude(user__username="employer")[:40])
    for employer in ordered:
        jobs = list(Job.objects.visible().filter(employer=employer).order_by("pk")[:3])
        if jobs:
            found.append((employer.user, jobs))
        if len(found) >= limit:
            break
    return found


def _seed_small(admin: User, progress: Progress) -> None:
    now = timezone.now()
    universities = list(Institution.objects.filter(name__in=("中山大学", "华南理工大学", "暨南大学")))
    guangdong = Province.objects.filter(code="44").first()
    if not Fair.objects.filter(title=RUNNING_TITLE).exists():
        fair = services.fair_create(
            actor=admin,
            data=services.FairInput(
                title=RUNNING_TITLE,
                kind=FairKind.SECTOR,
                sector="信息通信与互联网",
                industry=Industry.objects.filter(code="I").first(),
                starts_at=now - timedelta(days=2),
                ends_at=now + timedelta(days=12),
                organisers=universities[:1],
                description=(
                    "本场招聘会由教育部24365大学生就业服务平台联合中山大学举办，面向2026届高校毕业生，"
                    "集中发布软件开发、网络运维、数据分析、产品运营等岗位。\n"
                    "招聘会期间，毕业生可在本页直接投递简历；用人单位报名后经主办方审核即可参会。"
                ),
            ),
        )
        for user, jobs in progress(_participants(6), desc="fair: running"):
            registration, _ = services.fair_register(actor=user, fair=fair, jobs=jobs)
            services.registration_decide(actor=admin, registration=registration, decision="approved")
    if not Fair.objects.filter(title=PAST_TITLE).exists() and len(universities) >= 2:
        fair = services.fair_create(
            actor=admin,
            data=services.FairInput(
                title=PAST_TITLE,
                kind=FairKind.JOINT,
                province=guangdong,
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=1),
                organisers=universities,
                description="由广东省内三所高校联合举办的线上线下双选会，已圆满结束。",
            ),
        )
        participants = _participants(4)
        for user, jobs in progress(participants, desc="fair: past"):
            registration, _ = services.fair_register(actor=user, fair=fair, jobs=jobs)
            services.registration_decide(actor=admin, registration=registration, decision="approved")
        graduates = list(
            User.objects.filter(pk__in=GraduateProfile.objects.values("user_id"))
            .exclude(username="graduate")
            .order_by("username")[:6]
        )
        jobs = [job for _, js in participants for job in js]
        for i, graduate in enumerate(graduates):
            if jobs:
                services.fair_apply(graduate=graduate, fair=fair, job=jobs[i % len(jobs)])
        # The double-selection fair took place in October: its window moves there, and it closes.
        services.fair_window_set(
            actor=admin,
            fair=fair,
            starts_at=now - timedelta(days=40),
            ends_at=now - timedelta(days=38),
        )
        services.fairs_freeze_closed()


def _seed_sector_fairs(progress: Progress) -> None:
    """The 25 sector fairs (bulk-created, spread over the autumn and spring recruitment seasons)."""
    existing = set(Fair.objects.filter(kind=FairKind.SECTOR).values_list("sector", flat=True))
    industries = {i.code: i for i in Industry.objects.all()}
    now = timezone.now()
    rows = []
    for i, (sector, code) in enumerate(progress(SECTORS, desc="fairs: sectors")):
        if sector in existing:
            continue
        start = now + timedelta(days=7 * (i - 8))
        rows.append(
            Fair(
                title=f"2026届高校毕业生{sector}行业专场招聘会",
                kind=FairKind.SECTOR,
                sector=sector,
                industry=industries.get(code),
                description=(
                    f"{sector}行业专场招聘会由教育部24365大学生就业服务平台联合行业协会举办，"
                    "面向全国高校毕业生，重点发布行业骨干企业和重点单位的招聘岗位。"
                ),
                starts_at=start,
                ends_at=start + timedelta(days=14),
            )
        )
    made = Fair.objects.bulk_create(rows, batch_size=500)
    search_mark_changed(kind="employment.fair", ids=[fair.pk for fair in made])
    services.fairs_freeze_closed()
