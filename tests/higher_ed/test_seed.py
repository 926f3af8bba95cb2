import re

import pytest

from higher_ed.models import (
    AnomalyFlag,
    AnomalyKind,
    Course,
    CourseRun,
    CreditRecognition,
    Enrollment,
    Platform,
    RunStatus,
    Teacher,
    UnitProgress,
)
from higher_ed.seed import PLANS, SeedPlan, seed_higher_ed, seeded_counts
from smartedu.accounts.models import User
from smartedu.accounts.seed import seed_accounts
from smartedu.institutions.models import Affiliation, Institution

pytestmark = pytest.mark.django_db


def quiet(items, **kwargs):
    return items


@pytest.fixture
def seeded():
    seed_accounts(scale="small", progress=quiet)
    seed_higher_ed(scale="small", progress=quiet)
    return seeded_counts()


def test_small_scale_covers_every_category_and_class_and_is_idempotent(seeded):
    assert seeded["courses"] == PLANS["small"].courses
    assert seeded["universities"] == PLANS["small"].universities
    assert seeded["categories"] == 13
    assert seeded["classes"] == 92
    assert seeded["platforms"] == Platform.objects.count() == 9
    assert Course.objects.filter(platform__international=True).values("platform").distinct().count() == 2
    assert seeded["international"] > 0
    assert seeded["first_class"] > 0
    assert seeded["credit"] > 0
    assert set(CourseRun.objects.values_list("status", flat=True)) == set(RunStatus.values)
    assert seeded["completed"] > 0
    assert UnitProgress.objects.count() > seeded["enrollments"]
    assert CreditRecognition.objects.exists()
    seed_higher_ed(scale="small", progress=quiet)
    assert seeded_counts() == seeded


def test_demo_data_reads_like_the_real_platform(seeded):
    titles = set(Course.objects.values_list("title", flat=True))
    assert {"数据结构", "宏观经济学", "传染病学", "敦煌艺术"} <= titles
    assert not [t for t in titles if re.search(r"课程\s*\d", t)]
    multilingual = Course.objects.filter(international=True).exclude(languages=1)
    assert multilingual.exists()
    assert all(c.enrollment_count == c.enrollments.count() for c in Course.objects.order_by("pk")[:40])


def test_real_people_are_only_named_teachers_of_courses_in_their_fields(seeded):
    fields = {"林毅夫": "02", "张文宏": "10", "樊锦诗": "13", "John Hopcroft": "08"}
    known_university = {"林毅夫": "北京大学", "张文宏": "复旦大学", "樊锦诗": None, "John Hopcroft": None}
    for name, category in fields.items():
        person = Teacher.objects.get(name=name)
        assert person.bio == ""
        assert person.title == ""
        assert (person.university.name if person.university else None) == known_university[name]
        assert {c.category.code for c in person.courses.all()} == {category}


def test_anomalies_to_flag_and_the_demo_accounts(seeded):
    assert AnomalyFlag.objects.filter(kind=AnomalyKind.FAST_COMPLETION).exists()
    assert AnomalyFlag.objects.filter(kind=AnomalyKind.MANY_IN_A_DAY).exists()
    assert AnomalyFlag.objects.filter(university__name="中山大学").exists()
    assert Affiliation.objects.get(user__username="officer").institution.name == "中山大学"
    student = Enrollment.objects.filter(user=User.objects.get(username="student"))
    assert student.filter(completed_at__isnull=False).exists()
    assert student.filter(completed_at__isnull=True, progress__gt=0).exists()
    assert student.values("course").distinct().count() == student.count()


@pytest.mark.slow
def test_a_reduced_seed_plan_gives_exact_counts_and_tops_up_idempotently():
    seed_accounts(scale="small", progress=quiet)
    plan = SeedPlan(
        courses=200,
        universities=110,
        learners=40,
        enrollments=500,
        teachers_per_university=2,
        bots=2,
        chunk=60,
    )
    seed_higher_ed(scale="seed", progress=quiet, plan=plan)
    counts = seeded_counts()
    assert (counts["courses"], counts["universities"]) == (200, 110)
    assert Institution.objects.count() == 66 + 110 - 62  # the 62 reference universities, then generic ones
    bigger = SeedPlan(
        courses=260,
        universities=110,
        learners=40,
        enrollments=650,
        teachers_per_university=2,
        bots=2,
        chunk=60,
    )
    seed_higher_ed(scale="seed", progress=quiet, plan=bigger)
    topped = seeded_counts()
    assert topped["courses"] == 260
    seed_higher_ed(scale="seed", progress=quiet, plan=bigger)
    assert seeded_counts() == topped
