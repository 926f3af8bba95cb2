"""The assessment engine and the three assessments written for the project."""

import json

import pytest

from employment.guidance import engine, services
from employment.guidance.engine import QuestionSpec


def test_scores_span_0_to_100_and_reverse_keyed_items_count_backwards():
    questions = [QuestionSpec(1, {"A": 1}), QuestionSpec(2, {"A": 1}), QuestionSpec(3, {"A": -1, "B": 1})]
    scale = [1, 2, 3, 4, 5]
    assert engine.score(
        questions=questions, answers={1: 5, 2: 5, 3: 1}, scale=scale, dimensions=["A", "B"]
    ) == {
        "A": 100,
        "B": 0,
    }
    assert engine.score(
        questions=questions, answers={1: 1, 2: 1, 3: 5}, scale=scale, dimensions=["A", "B"]
    ) == {
        "A": 0,
        "B": 100,
    }
    middle = engine.score(questions=questions, answers={1: 3, 2: 3, 3: 3}, scale=scale, dimensions=["A"])
    assert middle == {"A": 50}


def test_levels_and_the_holland_code_breaks_ties_in_riasec_order():
    assert [engine.level(v) for v in (0, 33, 34, 66, 67, 100)] == [
        "low",
        "low",
        "middle",
        "middle",
        "high",
        "high",
    ]
    scores = {"R": 40, "I": 90, "A": 40, "S": 75, "E": 10, "C": 40}
    assert engine.holland_code(scores, ["R", "I", "A", "S", "E", "C"]) == "ISR"


@pytest.mark.parametrize("name", services.ASSESSMENT_FILES)
def test_each_written_assessment_is_complete(name):
    data = json.loads((services.ASSESSMENT_DIR / name).read_text(encoding="utf-8"))
    assert services._definition_errors(data) == []
    codes = [d["code"] for d in data["dimensions"]]
    for code in codes:
        items = [q for q in data["questions"] if q["weights"].get(code, 0) > 0]
        assert len(items) >= 4, f"{name}: dimension {code} has {len(items)} questions"
    assert len({q["text"] for q in data["questions"]}) == len(data["questions"])
    assert all(d["high"] and d["low"] for d in data["dimensions"])


def test_the_interest_assessment_covers_the_six_holland_dimensions():
    data = json.loads((services.ASSESSMENT_DIR / "riasec.json").read_text(encoding="utf-8"))
    assert [d["code"] for d in data["dimensions"]] == list("RIASEC")
    assert len(data["questions"]) >= 36
