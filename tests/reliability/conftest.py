"""Reliability tests (issue 7.7–7.9) share the statistics tests' fixtures: clean buffer, test kind, Redis."""

from tests.stats.conftest import (  # noqa: F401  (fixtures)
    _empty_buffer,
    _stats_settings,
    pinned_bucket,
    test_kind,
    throwaway_redis,
)
