"""Pure rules of view counting (no database, no Redis): what a bot is, how a rate reads, item limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, cast

from django.conf import settings

from smartedu.stats.buffer import RateLimit

MAX_ITEMS = 50
MAX_OBJECT_ID = 2**63 - 1

# Crawlers, link previewers and HTTP libraries. Browsers always send a User-Agent, so an empty one is a bot.
# Matched against the lower-cased header: Python's IGNORECASE alternation tries every word at every position
# with case folding (27 µs on a phone browser's header, against 2 µs lower-cased).
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|bingpreview|mediapartners|"
    r"curl/|wget/|python-requests|python-urllib|httpx|aiohttp|okhttp|go-http-client|java/|libwww|scrapy|"
    r"headless ?shell|phantomjs|lighthouse|pingdom|uptimerobot"
)

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


# Browsers' headers are 100–300 characters; a longer one is matched each time, never kept.
KEPT_USER_AGENT = 512


def user_agent_is_bot(user_agent: str) -> bool:
    """Kept per header (browsers' headers repeat; the beacon asks twice per request), up to
    ``KEPT_USER_AGENT`` characters: a flood of long forged headers must not fill the table."""
    if len(user_agent) > KEPT_USER_AGENT:
        return _bot(user_agent)
    return _kept_bot(user_agent)


def _bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent.lower()))


_kept_bot = lru_cache(maxsize=2048)(_bot)


@lru_cache(maxsize=64)
def rate_parse(rate: str | None) -> RateLimit | None:
    """``"300/min"`` → 300 per 60 s (DRF's notation: s, m, h or d, only the first letter counts)."""
    if not rate:
        return None
    count, _slash, period = rate.partition("/")
    return RateLimit(limit=int(count), window=PERIOD_SECONDS[period.strip()[0].lower()])


def beacon_rate() -> RateLimit | None:
    """The beacon's limit per client, ``API_THROTTLE_STATS_BEACON`` (read per request: tests change it)."""
    rates = cast(
        Mapping[str, str], cast(Mapping[str, Any], settings.REST_FRAMEWORK)["DEFAULT_THROTTLE_RATES"]
    )
    return rate_parse(rates.get("stats_beacon"))
