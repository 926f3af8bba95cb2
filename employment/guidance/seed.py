# ruff: noqa: E501 -- demo prose templates
"""Demo data of career guidance.

Small scale: the three assessments written for the project (the data files), and a handful of each content
type written by hand (``seed_data``). ``--scale seed`` tops up to the launch figures — 44 assessments, 125
encyclopedia entries, 578 cases, 91 live courses and 118 training courses — with generated variations
(short forms of the three real assessments for each specialty class; entries, cases and courses from
templates), bulk-created in chunks behind a progress bar and queued for search indexing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from employment.guidance import seed_data, services
from employment.guidance.models import (
    Article,
    Assessment,
    CareerCase,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    QualityReport,
    Tag,
    TrainingCourse,
    TrainingLesson,
)
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution
from smartedu.portal.registry import Progress, no_progress

SEED_TARGETS = {"assessments": 44, "entries": 125, "cases": 578, "live": 91, "training": 118}
CHUNK = 200


def seed_guidance(*, scale: str, progress: Progress = no_progress) -> None:
    for _ in progress([0], desc="guidance: assessments"):
        services.assessments_load_files()
    _seed_small(progress)
    if scale == "seed":
        _seed_bulk(progress)


def _aware(day: date, hour: int = 19) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _seed_small(progress: Progress) -> None:
    now = timezone.now()
    with transaction.atomic():
        for entry in seed_data.ENTRIES:
            EncyclopediaEntry.objects.get_or_create(title=entry["title"], defaults=entry)
        for i, case in enumerate(seed_data.CASES):
            if not CareerCase.objects.filter(title=case["title"]).exists():
                CareerCase.objects.create(**case, published_at=now - timedelta(days=3 * i + 1))
        for title, speaker, position, days, replay in seed_data.LIVE_COURSES:
            if not LiveCourse.objects.filter(title=title).exists():
                LiveCourse.objects.create(
                    title=title,
                    speaker=speaker,
                    speaker_title=position,
                    description=f"本期直播课由{speaker}主讲，围绕“{title}”进行讲解，并在最后留出答疑时间。欢迎同学们提前报名。",
                    starts_at=_aware((now + timedelta(days=days)).date()),
                    minutes=90,
                    stream_url="https://live.example.edu.cn/room/24365",
                    replay_url=replay,
                )
        for title, provider, category, lessons in seed_data.TRAINING:
            course, created = TrainingCourse.objects.get_or_create(
                title=title,
                defaults={
                    "provider": provider,
                    "category": category,
                    "description": f"“{title}”是宏志助航计划的培训课程，面向高校毕业生特别是家庭经济困难毕业生，帮助大家提升就业能力。",
                },
            )
            if created:
                TrainingLesson.objects.bulk_create(
                    TrainingLesson(course=course, number=n, title=t, minutes=30 + 5 * (n % 3))
                    for n, t in enumerate(lessons, start=1)
                )
        for p in seed_data.PROGRAMS:
            KeyProgram.objects.get_or_create(
                title=p["title"],
                defaults={
                    "kind": p["kind"],
                    "organiser": p["organiser"],
                    "summary": p["summary"],
                    "eligibility": p["eligibility"],
                    "policies": p["policies"],
                    "opens_on": date.fromisoformat(p["opens"]) if p["opens"] else None,
                    "closes_on": date.fromisoformat(p["closes"]) if p["closes"] else None,
                    "official_url": p["url"],
                },
            )
        for i, (title, category, tags, source, body) in enumerate(seed_data.ARTICLES):
            if Article.objects.filter(title=title).exists():
                continue
            article = Article.objects.create(
                title=title,
                category=category,
                summary=body.split("\n")[0][:120],
                body=body,
                source=source,
                published_at=now - timedelta(days=2 * i + 1),
            )
            article.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
        provinces = {p.code: p for p in Province.objects.all()}
        universities = {
            u.name: u for u in Institution.objects.filter(name__in=[s[4] for s in seed_data.SITES if s[4]])
        }
        for name, url, kind, province, university in seed_data.SITES:
            services.site_register(
                name=name,
                url=url,
                kind=kind,
                province=provinces.get(province) if province else None,
                university=universities.get(university) if university else None,
            )
    _seed_reports()


def _seed_reports() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from employment.seed import MINIMAL_PDF

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    year = timezone.localdate().year - 1
    for name in ("中山大学", "华南理工大学"):
        university = Institution.objects.filter(name=name).first()
        if university is None or QualityReport.objects.filter(university=university, year=year).exists():
            continue
        services.report_upload(
            actor=admin,
            university=university,
            year=year,
            title=f"{name}{year}届毕业生就业质量年度报告",
            file=SimpleUploadedFile("report.pdf", MINIMAL_PDF, content_type="application/pdf"),
        )


# --- Seed scale: generated variations, bulk-created ----------------------------------------------------

SPECIALTY_CLASSES = [
    "哲学", "经济学", "法学", "教育学", "文学", "历史学", "理学", "工学", "农学", "医学", "管理学", "艺术学", "交叉学科",
    "高职装备制造类", "高职电子与信息类",
]  # fmt: skip
BASES = [
    ("holland-riasec", "职业兴趣测评"),
    ("work-values", "职业价值观测评"),
    ("career-readiness", "求职准备度自评"),
]

OCCUPATIONS = {
    "信息技术": [
        "前端开发工程师",
        "测试工程师",
        "运维工程师",
        "算法工程师",
        "网络安全工程师",
        "嵌入式软件工程师",
        "产品经理",
        "UI设计师",
        "数据库管理员",
        "云计算工程师",
        "游戏开发工程师",
        "技术支持工程师",
        "区块链工程师",
        "智能硬件工程师",
        "音视频工程师",
    ],
    "能源与制造": [
        "机械设计工程师",
        "工艺工程师",
        "质量工程师",
        "数控技术员",
        "自动化工程师",
        "光伏工程师",
        "储能工程师",
        "设备维护工程师",
        "安全工程师",
        "材料研发工程师",
    ],
    "财务金融": [
        "审计员",
        "出纳",
        "税务专员",
        "银行客户经理",
        "证券分析师",
        "保险精算师",
        "风险管理专员",
        "投资顾问",
        "财务分析师",
        "理财经理",
    ],
    "医疗卫生": [
        "护士",
        "药剂师",
        "医学检验技师",
        "康复治疗师",
        "公共卫生医师",
        "影像技师",
        "营养师",
        "口腔医生",
        "中医师",
        "健康管理师",
    ],
    "教育": [
        "幼儿园教师",
        "高校辅导员",
        "职业院校专业教师",
        "课程设计师",
        "教育产品运营",
        "特殊教育教师",
        "心理健康教师",
        "体育教师",
        "音乐教师",
    ],
    "建筑与工程": [
        "土木工程师",
        "造价工程师",
        "建筑设计师",
        "给排水工程师",
        "测绘工程师",
        "道路桥梁工程师",
        "BIM工程师",
        "工程监理",
        "城乡规划师",
    ],
    "商贸与服务": [
        "市场营销专员",
        "电商运营",
        "新媒体运营",
        "客户服务专员",
        "采购专员",
        "物流规划师",
        "跨境电商专员",
        "品牌策划",
        "会展策划",
        "酒店管理人员",
    ],
    "文化传媒": [
        "记者",
        "编辑",
        "视频剪辑师",
        "动画设计师",
        "广告文案",
        "摄影师",
        "播音主持",
        "出版编辑",
        "文创设计师",
    ],
    "公共管理": [
        "公务员（综合管理）",
        "社区工作者",
        "社会工作者",
        "人力资源专员",
        "行政专员",
        "档案管理员",
        "法务专员",
        "律师助理",
        "基层党务工作者",
    ],
    "农业与环境": [
        "农业技术员",
        "园艺师",
        "畜牧兽医",
        "环境监测员",
        "林业技术员",
        "水利工程师",
        "食品检验员",
        "生态修复工程师",
        "碳排放管理员",
        "农产品电商",
    ],
    "交通物流": [
        "铁路调度员",
        "民航签派员",
        "船舶驾驶员",
        "汽车服务工程师",
        "仓储管理员",
        "城市轨道交通站务员",
        "新能源汽车技术员",
        "快递网点经理",
        "港口调度员",
        "供应链计划专员",
    ],
    "科研": [
        "科研助理",
        "实验室技术员",
        "专利代理师",
        "科技情报分析师",
        "技术转移经理",
        "标准化工程师",
        "计量检定员",
        "科普讲解员",
        "仪器分析工程师",
        "生物信息分析师",
    ],
}
UNIVERSITIES = [
    "中山大学",
    "华南理工大学",
    "暨南大学",
    "武汉大学",
    "四川大学",
    "西安交通大学",
    "山东大学",
    "吉林大学",
    "郑州大学",
    "云南大学",
    "广西大学",
    "兰州大学",
    "深圳职业技术大学",
    "南京工业职业技术大学",
]
SPECIALTIES = [
    "计算机科学与技术",
    "会计学",
    "汉语言文学",
    "临床医学",
    "电气工程及其自动化",
    "市场营销",
    "土木工程",
    "护理学",
    "英语",
    "数学与应用数学",
    "机械电子工程",
    "农学",
    "法学",
    "物流管理",
    "环境工程",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
CASE_STORIES = {
    "employment": (
        "走进{place}：{specialty}毕业生的求职之路",
        "{name}在大三暑假参加了{place}的实习，把课堂上学到的{specialty}知识用在了实际项目里。秋招时，他把实习中负责的工作整理成简历上的具体成果，先后参加了六场面试。\n最终，实习单位向他发出了录用通知。回顾这段经历，他说最重要的是尽早接触真实的工作。",
        "实习是了解行业、积累经历的最好方式，越早开始越主动。",
    ),
    "grassroots": (
        "到{place}去：一名“三支一扶”人员的基层两年",
        "毕业后，{name}通过“三支一扶”计划来到{place}的一个乡镇，负责{specialty}相关的帮扶工作。刚到时语言不通、生活不习惯，但村民的信任让她很快融入了当地。\n两年里，她协助完成了村里的产业项目申报。服务期满后，她通过专项招聘留在了当地事业单位。",
        "基层工作锻炼人，服务期满后的专项招聘和考研加分政策也为下一步发展提供了支持。",
    ),
    "enlistment": (
        "从校园到军营：{specialty}专业学生的参军选择",
        "{name}大二时报名参军，服役两年间多次参加训练任务，锻炼了意志和体魄。\n退役后他回到学校继续学习{specialty}，享受了学费资助，并通过退役大学生士兵专项计划读研。",
        "参军入伍是一段宝贵的经历，相关的学费补偿和升学政策值得提前了解。",
    ),
    "further_study": (
        "二战上岸：{specialty}毕业生的考研故事",
        "{name}第一次考研没有成功，毕业后选择在{place}边工作边备考。她调整了复习计划，每天固定学习四小时，周末集中做真题。\n第二年，她顺利考上了本专业的研究生。",
        "考研要做好长期准备，也要给自己留好退路，边工作边备考是一种稳妥的选择。",
    ),
    "self_employment": (
        "在{place}创业的第一年",
        "{name}毕业后和两名同学在{place}创办了一家与{specialty}相关的小公司。他们申请了创业担保贷款，入驻了学校的大学生创业孵化基地。\n第一年虽然没有盈利，但积累了稳定的客户，第二年实现了收支平衡。",
        "创业前要认真做市场调研，充分利用孵化基地、贷款贴息等扶持政策。",
    ),
}
PLACES = [
    "深圳",
    "成都",
    "贵州黔东南",
    "新疆喀什",
    "宁夏固原",
    "广西百色",
    "杭州",
    "西安",
    "武汉",
    "云南怒江",
    "苏州",
    "长沙",
]
LIVE_TOPICS = [
    "简历写作",
    "结构化面试",
    "无领导小组讨论",
    "公务员考试备考",
    "事业单位招聘",
    "国企招聘解读",
    "外企求职",
    "考研与就业的选择",
    "基层就业政策",
    "征兵政策解读",
    "求职心理调适",
    "职场第一年",
    "劳动合同与权益保护",
    "数字经济新职业",
    "制造业人才需求",
    "医学生就业",
    "师范生就业",
    "艺术类学生就业",
    "创新创业",
    "留学归国人员就业",
]
LIVE_FORMATS = ["专题讲座", "案例分享", "政策解读", "实战演练", "答疑直播"]
SPEAKERS = [
    ("张慧", "企业招聘负责人"),
    ("李明", "高校就业指导中心老师"),
    ("王强", "人社部门政策研究人员"),
    ("周婷", "职业发展教育讲师"),
    ("陈思远", "生涯规划咨询师"),
    ("刘洋", "行业协会专家"),
]
TRAINING_TOPICS = {
    "求职技能": ["简历与求职信", "面试表达", "笔试备考", "求职礼仪", "招聘信息甄别", "签约与权益"],
    "职场能力": ["职场沟通", "团队协作", "时间管理", "情绪管理", "商务写作", "会议组织"],
    "职业技能": ["Excel 数据处理", "Python 入门", "新媒体运营", "电商直播", "办公自动化", "基础会计实务"],
    "创新创业": ["创业机会识别", "商业计划书", "创业政策", "创业融资", "小微企业管理"],
}
LESSON_STEPS = ["导学与目标", "核心概念", "方法与技巧", "案例分析", "实操练习", "常见问题", "测验与总结"]


def _generated_assessments(rng: random.Random) -> list[dict]:
    import json

    bases = {
        b["slug"]: b
        for b in (
            json.loads((services.ASSESSMENT_DIR / n).read_text(encoding="utf-8"))
            for n in services.ASSESSMENT_FILES
        )
    }
    definitions = []
    for specialty in SPECIALTY_CLASSES:
        for slug, label in BASES:
            base = bases[slug]
            per_dimension = {
                d["code"]: [
                    q for q in base["questions"] if d["code"] in q["weights"] and q["weights"][d["code"]] > 0
                ]
                for d in base["dimensions"]
            }
            questions = []
            for pool in per_dimension.values():
                questions += rng.sample(pool, min(3, len(pool)))
            unique = list({q["text"]: q for q in questions}.values())
            definitions.append(
                {
                    **base,
                    "slug": f"{slug}-{SPECIALTY_CLASSES.index(specialty):02d}",
                    "title": f"{specialty}类毕业生{label}（简版）",
                    "summary": f"面向{specialty}类专业毕业生的{label}简版，题目选自完整版，约五分钟完成。{base['summary']}",
                    "minutes": 5,
                    "questions": unique,
                }
            )
    return definitions


def _seed_bulk(progress: Progress) -> None:
    rng = random.Random(12)
    # Assessments: the three real ones, then short forms for each specialty class, up to 44.
    missing = SEED_TARGETS["assessments"] - Assessment.objects.count()
    for i, definition in enumerate(
        progress(_generated_assessments(rng)[: max(missing, 0)], desc="guidance: assessments")
    ):
        services.assessment_load(data=definition, order=10 + i)

    now = timezone.now()
    entries = [
        EncyclopediaEntry(
            title=title,
            category=category,
            summary=f"{title}是{category}领域的常见岗位，主要面向相关专业的高校毕业生。",
            duties=f"承担{title}岗位的日常工作：根据单位安排完成{category}相关的业务任务，与团队协作推进项目，记录和总结工作成果。",
            requirements=f"相关专业专科或本科及以上学历；掌握{category}领域的基础知识和常用工具；具备良好的沟通能力和学习能力，有相关实习经历者优先。",
            prospects=f"积累经验后可向资深{title}、团队负责人或相关管理岗位发展。",
            salary=f"应届生月薪 {rng.choice([4, 5, 6, 7, 8])},000–{rng.choice([9, 10, 12, 15])},000 元",
            specialties="、".join(rng.sample(SPECIALTIES, 3)),
        )
        for category, titles in OCCUPATIONS.items()
        for title in titles
    ]
    existing = set(EncyclopediaEntry.objects.values_list("title", flat=True))
    entries = [e for e in entries if e.title not in existing][
        : max(SEED_TARGETS["entries"] - len(existing), 0)
    ]
    _bulk(EncyclopediaEntry, entries, "employment.encyclopedia", progress, "guidance: encyclopedia")

    cases = []
    for i in range(max(SEED_TARGETS["cases"] - CareerCase.objects.count(), 0)):
        destination = rng.choice(list(CASE_STORIES))
        title, body, lesson = CASE_STORIES[destination]
        specialty, place = rng.choice(SPECIALTIES), rng.choice(PLACES)
        name = f"{rng.choice(SURNAMES)}同学"
        cases.append(
            CareerCase(
                title=f"{title.format(place=place, specialty=specialty)}（{i + 1}）",
                person=name,
                university=rng.choice(UNIVERSITIES),
                specialty=specialty,
                destination=destination,
                body=body.format(name=name, place=place, specialty=specialty),
                lesson=lesson,
                published_at=now - timedelta(days=rng.randrange(1, 720)),
            )
        )
    _bulk(CareerCase, cases, "employment.case", progress, "guidance: cases")

    live = []
    for i in range(max(SEED_TARGETS["live"] - LiveCourse.objects.count(), 0)):
        topic, form = (
            LIVE_TOPICS[i % len(LIVE_TOPICS)],
            LIVE_FORMATS[(i // len(LIVE_TOPICS)) % len(LIVE_FORMATS)],
        )
        speaker, position = rng.choice(SPEAKERS)
        day = (now + timedelta(days=rng.randrange(-120, 45))).date()
        starts = _aware(day, rng.choice([14, 15, 19, 20]))
        live.append(
            LiveCourse(
                title=f"{topic}{form}（第{i + 1}期）",
                speaker=speaker,
                speaker_title=position,
                description=f"本期{form}围绕“{topic}”展开，由{speaker}主讲，结合近年毕业生求职中的真实问题进行讲解，并现场答疑。",
                starts_at=starts,
                minutes=rng.choice([60, 90, 120]),
                stream_url="https://live.example.edu.cn/room/24365",
                replay_url=f"https://live.example.edu.cn/replay/{i + 1}" if starts < now else "",
            )
        )
    _bulk(LiveCourse, live, "employment.live_course", progress, "guidance: live courses")

    courses = []
    topics = [(category, topic) for category, names in TRAINING_TOPICS.items() for topic in names]
    for i in range(max(SEED_TARGETS["training"] - TrainingCourse.objects.count(), 0)):
        category, topic = topics[i % len(topics)]
        level = ["入门", "进阶", "实战", "专题", "强化"][i // len(topics) % 5]
        courses.append(
            TrainingCourse(
                title=f"{topic}{level}课（{i + 1}）",
                provider="宏志助航计划",
                category=category,
                description=f"宏志助航计划{category}培训之“{topic}”{level}课程，面向高校毕业生，采用线上学习与线下辅导相结合的方式。",
            )
        )
    created = _bulk(TrainingCourse, courses, "employment.training_course", progress, "guidance: training")
    lessons = [
        TrainingLesson(course_id=pk, number=n, title=f"{step}", minutes=25 + 5 * (n % 4))
        for pk in created
        for n, step in enumerate(LESSON_STEPS[: 4 + pk % 4], start=1)
    ]
    TrainingLesson.objects.bulk_create(lessons, batch_size=1000)


def _bulk(model: type[Model], rows: list, kind: str, progress: Progress, desc: str) -> list[int]:
    """Create ``rows`` in chunks (one transaction each) and queue them for search indexing; the ids."""
    from smartedu.search.services import search_mark_changed

    ids: list[int] = []
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    for chunk in progress(chunks, total=len(chunks), desc=desc):
        with transaction.atomic():
            made = model._default_manager.bulk_create(chunk)
            chunk_ids = [obj.pk for obj in made]
            ids += chunk_ids
            search_mark_changed(kind=kind, ids=chunk_ids)
    return ids
