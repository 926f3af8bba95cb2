"""What ``/readyz`` reports about view counting: warnings only, since pages are served without it.

* The buffer's Redis must not evict keys (``maxmemory-policy noeviction``): an evicted bucket is lost views,
  an evicted batch key or HyperLogLog is worse (docs/deploy.md).
* Views dropped today (over a bucket's key cap, or of unknown content) and batches set aside.
"""

from __future__ import annotations

import redis

from smartedu.stats import selectors
from smartedu.stats.buffer import BufferUnavailable, get_buffer
from smartedu.stats.periods import Period, today


def buffer_warnings() -> str | None:
    """None when all is well; else what an operator should look at, in one line."""
    notes = []
    try:
        policy = get_buffer().eviction_policy()
    except (redis.RedisError, BufferUnavailable) as exc:
        notes.append(f"the view buffer does not answer ({exc.__class__.__name__}); views are not counted")
    else:
        if policy and policy != "noeviction":
            notes.append(
                f"the view buffer's Redis evicts keys (maxmemory-policy {policy}); "
                "give it its own instance with noeviction (docs/deploy.md)"
            )
    day = today()
    missing = selectors.not_counted(period=Period(day, day))
    if missing.over_cap:
        notes.append(f"{missing.over_cap} views dropped today over a bucket's key cap")
    if missing.unknown:
        notes.append(f"{missing.unknown} views of unknown content dropped today")
    if missing.set_aside_batches:
        notes.append(
            f"{missing.set_aside_batches} batches set aside ({missing.set_aside_views} views): "
            "see manage.py stats_batches"
        )
    return "; ".join(notes) or None
