import pytest

from employment import outcomes


def _none(graduates):
    return graduates.none()


def test_outcomes_are_listed_in_order_and_a_key_cannot_be_taken_twice(monkeypatch):
    monkeypatch.setattr(outcomes, "_outcomes", {})
    later = outcomes.Outcome("later", "later", 20, _none)
    first = outcomes.Outcome("first", "first", 10, _none)
    outcomes.register_outcome(later)
    outcomes.register_outcome(first)
    outcomes.register_outcome(first)  # the same registration again (a re-run ready()) is harmless

    assert [outcome.key for outcome in outcomes.outcomes()] == ["first", "later"]
    with pytest.raises(ValueError, match="first"):
        outcomes.register_outcome(outcomes.Outcome("first", "another", 30, _none))
