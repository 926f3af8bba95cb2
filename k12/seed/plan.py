"""How much demo data a scale asks for."""

from __future__ import annotations

from dataclasses import dataclass

from k12.seed.demo import demo_textbooks


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


def _small() -> SeedPlan:
    """Exactly the demo textbooks with their real tables of contents, one lesson hour per lesson."""
    books = demo_textbooks()
    hours = sum(len(unit.lessons) for book in books for unit in book.units)
    return SeedPlan(
        textbooks=len(books),
        lesson_hours=hours,
        resources_total=hours + 36 * 3,
        thematic_after_school=19 * 3,
        teacher_training=7 * 3,
        etextbooks=len(books) + 4,
        publishers=5,
    )


PLANS = {
    "small": _small(),
    # The launch figures of reference/headline_figures.md.
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
