"""Rate limits on guessable or repeatable writes, per user and per client address.

Join codes can be guessed by brute force, so every join attempt is counted against the user and against
the client address (``smartedu.portal.client.client_ip``, the one rule for addresses) in a fixed window
kept in the cache (Redis in production, so every web process shares the counts). A successful join is
given back: a whole class behind one school NAT address joining at the start of a lesson is not blocked,
only failures add up. Once a counter is over its limit every attempt is refused until the window ends,
also one with the right code, so that guessing learns nothing.

The counter is incremented *before* the attempt (``cache.incr`` is atomic), so concurrent guesses cannot
slip past the limit together.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Limit:
    scope: str
    per_user: int
    per_address: int
    window: int


def join_limit() -> Limit:
    """Failed joins allowed per user and per address in a window (settings may override the defaults)."""
    return Limit(
        scope="classes-join",
        per_user=settings.CLASSES_JOIN_FAILURES_PER_USER,
        per_address=settings.CLASSES_JOIN_FAILURES_PER_ADDRESS,
        window=settings.CLASSES_JOIN_WINDOW_SECONDS,
    )


def attempt_submit_limit() -> Limit:
    """Quiz attempts (every one counts): a student cannot flood the records that feed the statistics."""
    return Limit(
        scope="quizzes-attempt",
        per_user=settings.QUIZZES_ATTEMPTS_PER_USER,
        per_address=settings.QUIZZES_ATTEMPTS_PER_ADDRESS,
        window=settings.QUIZZES_ATTEMPTS_WINDOW_SECONDS,
    )


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` seconds until the window ends."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return 1


def _give_back(key: str) -> None:
    with suppress(ValueError):
        cache.decr(key)


def _keys(limit: Limit, user_id: int, address: str, bucket: int) -> list[tuple[str, int]]:
    return [
        (f"rl:{limit.scope}:u:{user_id}:{bucket}", limit.per_user),
        (f"rl:{limit.scope}:a:{address}:{bucket}", limit.per_address),
    ]


def count(*, limit: Limit, user_id: int, address: str) -> None:
    """Count one action that always counts; ``RateLimited`` once the user or the address is over."""
    now = int(time.time())
    counts = [
        (_hit(key, limit.window), allowed)
        for key, allowed in _keys(limit, user_id, address, now // limit.window)
    ]
    if any(n > allowed for n, allowed in counts):
        raise RateLimited(retry_after=limit.window - now % limit.window)


@contextmanager
def attempt(
    *, limit: Limit, user_id: int, address: str, count_errors: type[BaseException] = ValidationError
) -> Iterator[None]:
    """Count one attempt; raise ``RateLimited`` when the user or the address is over its limit.

    Only attempts that end in ``count_errors`` (by default a ``ValidationError``, such as an unknown code)
    keep their count; a success or any other error gives it back.
    """
    now = int(time.time())
    keys = _keys(limit, user_id, address, now // limit.window)
    counts = [(key, _hit(key, limit.window), allowed) for key, allowed in keys]
    if any(count > allowed for _, count, allowed in counts):
        raise RateLimited(retry_after=limit.window - now % limit.window)
    try:
        yield
    except count_errors:
        raise
    except BaseException:
        for key, _, _ in counts:
            _give_back(key)
        raise
    for key, _, _ in counts:
        _give_back(key)
