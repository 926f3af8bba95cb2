"""Career guidance test data, built through ``employment.guidance.services`` (content rows directly: the
demo content has no authoring service yet)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from employment.guidance import services
from employment.guidance.models import Assessment, LiveCourse, TrainingCourse, TrainingLesson


def assessments() -> dict[str, Assessment]:
    return {a.slug: a for a in services.assessments_load_files()}


def riasec() -> Assessment:
    return assessments()["holland-riasec"]


def answers(assessment: Assessment, value: int = 3, **by_dimension: int) -> dict[str, int]:
    """Every question answered ``value``, except those weighing positively on a named dimension."""
    result = {}
    for question in assessment.questions.all():
        chosen = value
        for code, answer in by_dimension.items():
            if question.weights.get(code, 0) > 0:
                chosen = answer
        result[str(question.number)] = chosen
    return result


def live_course(*, starts_in: timedelta = timedelta(minutes=20), minutes: int = 60) -> LiveCourse:
    return LiveCourse.objects.create(
        title="简历写作专题讲座",
        speaker="张慧",
        description="讲解简历写作。",
        starts_at=timezone.now() + starts_in,
        minutes=minutes,
    )


def training_course(lessons: int = 3) -> TrainingCourse:
    course = TrainingCourse.objects.create(
        title="求职技能提升训练营", provider="宏志助航计划", category="求职技能", description="培训课程。"
    )
    TrainingLesson.objects.bulk_create(
        TrainingLesson(course=course, number=n, title=f"第{n}课") for n in range(1, lessons + 1)
    )
    return course
