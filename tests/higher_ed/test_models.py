from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from higher_ed.models import (
    LANGUAGE_BITS,
    Course,
    CourseRun,
    Enrollment,
    Language,
    UnitProgress,
    language_codes,
    language_mask,
)
from tests.factories.higher_ed import course, learner, platform

pytestmark = pytest.mark.django_db


def test_languages_are_a_set_stored_as_bits_and_filtered_with_has():
    both = course("国际贸易学", class_code="0204", languages=("zh", "en"))
    english = course("英语听说", class_code="0502", languages=("en",))
    assert language_codes(language_mask(["en", "zh"])) == ["zh", "en"]
    assert set(Course.objects.filter(languages__has=LANGUAGE_BITS["zh"])) == {both}
    assert set(Course.objects.filter(languages__has=LANGUAGE_BITS["en"])) == {both, english}
    assert both.language_labels == [str(Language.CHINESE.label), str(Language.ENGLISH.label)]


def test_visible_means_listed_on_a_switched_on_platform():
    shown = course("数据结构")
    off = course("操作系统", platform_code="xuetangx")
    delisted = course("编译原理")
    Course.objects.filter(pk=delisted.pk).update(listed=False)
    platform("xuetangx").__class__.objects.filter(code="xuetangx").update(enabled=False)
    assert list(Course.objects.visible()) == [shown]
    assert set(CourseRun.objects.visible().values_list("course_id", flat=True)) == {shown.pk}
    assert off.pk not in set(CourseRun.objects.visible().values_list("course_id", flat=True))


def test_a_credit_course_has_credits_in_the_database_too():
    made = course("财政学", class_code="0202", credit=True, credits=Decimal("2.5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=made.pk).update(credits=None)


def test_one_enrolment_per_learner_and_run_and_progress_within_100():
    made = course()
    run = made.runs.get()
    user = learner()
    enrollment = Enrollment.objects.create(user=user, run=run, course=made)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=user, run=run, course=made)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(progress=101)
    unit = made.units.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitProgress.objects.create(enrollment=enrollment, unit=unit, video_percent=150)


def test_a_run_ends_after_it_starts():
    made = course(runs=())
    run = CourseRun(course=made, term="2025-spring", start="2025-03-01", end="2025-02-01", status="open")
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()
