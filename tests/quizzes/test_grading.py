"""Pure grading and shape rules (no database): the one home of "is this answer right"."""

from dataclasses import dataclass, field

import pytest

from smartedu.quizzes import grading
from smartedu.quizzes.models import QuestionKind

ABCD = [{"key": k, "text": t} for k, t in zip("ABCD", ["北京", "上海", "广州", "深圳"], strict=True)]


def test_kinds_match_the_model_choices():
    assert set(grading.KINDS) == set(QuestionKind.values)


# --- shapes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options", "answer"),
    [
        ("single", ABCD, "A"),
        ("multiple", ABCD, "A,C"),
        ("multiple", ABCD, "D"),
        ("true_false", [], "true"),
        ("true_false", [], "false"),
        ("fill_in", [], "3.14|π"),
    ],
)
def test_good_shapes_have_no_errors(kind, options, answer):
    assert grading.question_shape_errors(kind=kind, options=options, answer=answer) == {}


@pytest.mark.parametrize(
    ("kind", "options", "answer", "field"),
    [
        ("essay", [], "x", "kind"),
        ("single", ABCD, "E", "answer"),
        ("single", ABCD, "A,B", "answer"),
        ("single", ABCD[:1], "A", "options"),
        ("single", [{"key": "A", "text": "x"}, {"key": "A", "text": "y"}], "A", "options"),
        ("single", [{"key": "A", "text": ""}, {"key": "B", "text": "y"}], "A", "options"),
        ("single", [{"key": "A,B", "text": "x"}, {"key": "C", "text": "y"}], "C", "options"),
        ("single", [{"key": "A", "text": "x", "evil": 1}, {"key": "B", "text": "y"}], "A", "options"),
        ("single", [{"key": str(i), "text": "x"} for i in range(11)], "1", "options"),
        ("single", ["A", "B"], "A", "options"),
        ("single", {"A": "x"}, "A", "options"),
        ("multiple", ABCD, "A,A", "answer"),
        ("multiple", ABCD, "A,E", "answer"),
        ("multiple", ABCD, ",", "answer"),
        ("true_false", [], "yes", "answer"),
        ("true_false", [], "True", "answer"),
        ("true_false", ABCD, "true", "options"),
        ("fill_in", [], " | ", "answer"),
        ("fill_in", ABCD, "x", "options"),
        ("fill_in", [], "x" * 201, "answer"),
    ],
)
def test_bad_shapes_name_the_field(kind, options, answer, field):
    assert field in grading.question_shape_errors(kind=kind, options=options, answer=answer)


# --- grading one answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "answer", "given", "right"),
    [
        ("single", "B", "B", True),
        ("single", "B", "A", False),
        ("single", "B", "b", False),
        ("multiple", "A,C", "C,A", True),
        ("multiple", "A,C", "A, C", True),
        ("multiple", "A,C", "A", False),
        ("multiple", "A,C", "A,B,C", False),
        ("true_false", "true", "true", True),
        ("true_false", "true", "false", False),
        ("fill_in", "3.14|π", "3.14", True),
        ("fill_in", "3.14|π", " π ", True),
        ("fill_in", "r/min|转/分", "转 / 分", True),
        ("fill_in", "Beijing", "  bei JING ", True),
        ("fill_in", "Straße", "STRASSE", True),
        ("fill_in", "3.14|π", "3.15", False),
        ("fill_in", "3.14|", "", False),
    ],
)
def test_is_correct(kind, answer, given, right):
    assert grading.is_correct(kind=kind, answer=answer, given=given) is right


def test_fill_in_is_compared_without_whitespace_and_casefolded():
    assert grading.normalise_fill_in(" Hello\u3000World\n") == "helloworld"


@pytest.mark.parametrize(
    ("kind", "given", "valid"),
    [
        ("single", "A", True),
        ("single", "E", False),
        ("single", "", False),
        ("multiple", "B,D", True),
        ("multiple", "B,B", False),
        ("multiple", "B,Z", False),
        ("true_false", "false", True),
        ("true_false", "对", False),
        ("fill_in", "anything", True),
        ("fill_in", "   ", False),
    ],
)
def test_given_is_valid(kind, given, valid):
    options = ABCD if kind in ("single", "multiple") else []
    assert grading.given_is_valid(kind=kind, options=options, given=given) is valid


def test_multiple_choice_answers_are_stored_sorted():
    assert grading.canonical_given(kind="multiple", given=" C, A ") == "A,C"
    assert grading.canonical_given(kind="fill_in", given=" π ") == "π"


# --- grading a whole set ------------------------------------------------------------------------


@dataclass
class Q:
    pk: int
    kind: str
    answer: str
    options: list = field(default_factory=list)


QUESTIONS = [
    Q(1, "single", "B", ABCD),
    Q(2, "multiple", "A,C", ABCD),
    Q(3, "true_false", "true"),
    Q(4, "fill_in", "3.14"),
]


def test_grade_scores_every_answer():
    result, errors = grading.grade(questions=QUESTIONS, answers={1: "B", 2: "C,A", 3: "false", 4: " 3.14 "})
    assert errors == []
    assert [a.is_correct for a in result.answers] == [True, True, False, True]
    assert (result.correct_count, result.question_count, result.score) == (3, 4, 75)
    assert result.answers[1].given == "A,C"


def test_grade_names_foreign_missing_and_impossible_answers():
    result, errors = grading.grade(questions=QUESTIONS, answers={1: "E", 2: "A", 99: "x", 98: "y"})
    assert result is None
    text = " ".join(errors)
    assert "98, 99" in text  # foreign
    assert "3, 4" in text  # unanswered
    assert "1" in text
    assert "E" in text  # impossible


def test_a_blank_answer_counts_as_unanswered():
    result, errors = grading.grade(questions=QUESTIONS[:1], answers={1: "  "})
    assert result is None
    assert "1" in errors[0]


def test_a_quiz_without_questions_cannot_be_graded():
    result, errors = grading.grade(questions=[], answers={})
    assert result is None
    assert errors


def test_grading_touches_no_database():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(grading))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [node])
    }
    assert not {name for name in imported if name and (name.startswith("django.db") or "models" in name)}
