from datetime import date

import pytest

from higher_ed import rules
from higher_ed.models import RunStatus
from higher_ed.rules import UnitState


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (date(2024, 9, 2), "2024-autumn"),
        (date(2024, 12, 31), "2024-autumn"),
        (date(2025, 1, 10), "2024-autumn"),
        (date(2025, 2, 20), "2025-spring"),
        (date(2025, 7, 31), "2025-spring"),
        (date(2025, 8, 1), "2025-autumn"),
    ],
)
def test_a_run_belongs_to_the_term_it_starts_in(day, term):
    assert rules.term_of(day) == term
    assert rules.term_valid(term)


@pytest.mark.parametrize("code", ["2024", "2024-summer", "24-autumn", "2024-autumn-1", "", "abcd-spring"])
def test_invalid_terms(code):
    assert not rules.term_valid(code)


def test_terms_sort_spring_before_autumn_and_have_labels():
    codes = ["2025-spring", "2024-autumn", "2024-spring"]
    assert sorted(codes, key=rules.term_sort_key) == ["2024-spring", "2024-autumn", "2025-spring"]
    assert "2024" in rules.term_label("2024-autumn")


def test_run_status_follows_the_dates():
    start, end = date(2025, 3, 1), date(2025, 6, 30)
    assert rules.run_status_on(start=start, end=end, today=date(2025, 2, 28)) == RunStatus.UPCOMING
    assert rules.run_status_on(start=start, end=end, today=start) == RunStatus.OPEN
    assert rules.run_status_on(start=start, end=end, today=end) == RunStatus.OPEN
    assert rules.run_status_on(start=start, end=end, today=date(2025, 7, 1)) == RunStatus.ARCHIVED


def test_progress_is_the_mean_share_of_units_and_100_only_when_all_is_done():
    units = [
        UnitState(quiz_count=2, video_percent=100, quizzes_done=1),
        UnitState(quiz_count=0, video_percent=50),
    ]
    outcome = rules.course_outcome(units)
    # unit 1: (1 + 1/2) / 2 = 0.75; unit 2: 0.5 → 62 %
    assert outcome.progress == 62
    assert not outcome.completed
    assert outcome.score is None


def test_completion_and_score_are_the_mean_quiz_score_of_units_with_quizzes():
    units = [
        UnitState(quiz_count=2, video_percent=100, quizzes_done=2, quiz_score=80),
        UnitState(quiz_count=0, video_percent=100),
        UnitState(quiz_count=1, video_percent=100, quizzes_done=1, quiz_score=91),
    ]
    outcome = rules.course_outcome(units)
    assert (outcome.progress, outcome.completed, outcome.score) == (100, True, 86)


def test_almost_done_is_not_rounded_up_to_100():
    units = [UnitState(quiz_count=0, video_percent=100)] * 199 + [UnitState(quiz_count=0, video_percent=99)]
    assert rules.course_outcome(units).progress == 99
    assert rules.course_outcome([]).progress == 0


def test_a_course_without_quizzes_completes_without_a_score():
    assert rules.course_outcome([UnitState(quiz_count=0, video_percent=100)]).score is None


def test_fold_makes_full_width_and_case_alike():
    assert rules.fold("  Ｐｙｔｈｏｎ  数据分析 ") == "python 数据分析"
    assert rules.search_text(["数据结构", "", "北京大学"]) == "数据结构 | 北京大学"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+86 10", "'+86 10"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("数据结构", "数据结构"),
        (-3, -3),
        (12.5, 12.5),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert rules.csv_cell(value) == cell
