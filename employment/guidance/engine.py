"""The assessment engine: scores per dimension from weighted Likert answers, and the result profile.

A question carries weights per dimension (``{"R": 1, "I": 0.5}``; a negative weight is a reverse-keyed
item). A dimension's raw score is the sum of weight × answer over the questions that load on it; it is
placed between the lowest and the highest raw score the scale allows and reported from 0 to 100, so that
dimensions with different numbers of questions compare. The profile orders the dimensions, names each
level (high ≥ 67, low < 34, middle between) with its explanation, and for an interest assessment gives the
Holland code: the three highest letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

HIGH = 67
LOW = 34


@dataclass(frozen=True)
class QuestionSpec:
    number: int
    weights: Mapping[str, float]


def score(
    *,
    questions: Sequence[QuestionSpec],
    answers: Mapping[int, int],
    scale: Sequence[int],
    dimensions: Sequence[str],
) -> dict[str, int]:
    """Scores 0–100 per dimension. Every question must be answered with a value of the scale."""
    low, high = min(scale), max(scale)
    raw = dict.fromkeys(dimensions, 0.0)
    floor = dict.fromkeys(dimensions, 0.0)
    ceiling = dict.fromkeys(dimensions, 0.0)
    for question in questions:
        answer = answers[question.number]
        for code, weight in question.weights.items():
            if code not in raw:
                continue
            raw[code] += weight * answer
            floor[code] += min(weight * low, weight * high)
            ceiling[code] += max(weight * low, weight * high)
    scores = {}
    for code in dimensions:
        span = ceiling[code] - floor[code]
        scores[code] = round(100 * (raw[code] - floor[code]) / span) if span else 0
    return scores


def level(value: int) -> str:
    if value >= HIGH:
        return "high"
    if value < LOW:
        return "low"
    return "middle"


def holland_code(scores: Mapping[str, int], order: Sequence[str]) -> str:
    """The three highest dimensions, ties broken by the dimensions' order (R, I, A, S, E, C)."""
    ranked = sorted(order, key=lambda code: (-scores.get(code, 0), order.index(code)))
    return "".join(ranked[:3])
