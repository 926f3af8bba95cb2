import pytest

from employment import outcomes
from employment.models import GraduateProfile


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


@pytest.mark.django_db
def test_an_outcome_narrows_a_queryset_without_evaluating_it():
    outcome = outcomes.Outcome("none", "none", 1, _none)
    narrowed = outcome.graduates(GraduateProfile.objects.all())
    assert narrowed.model is GraduateProfile
    assert list(narrowed) == []
