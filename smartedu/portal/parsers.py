"""The API's one request body format: JSON, parsed without letting the nesting exhaust the stack.

``json.loads`` recurses once per level: 100,000 nested brackets raise ``RecursionError``, which DRF's
parser does not catch (a 500). This parser answers 400 for that and for anything nested deeper than
``MAX_JSON_DEPTH`` levels, which no request of this API needs (issue 7.10).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Is ``value`` nested more than ``limit`` levels deep? Iterative, so any depth is safe to check."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_loads_limited(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` (strict: no NaN or Infinity) that raises ``ValueError`` for nesting deeper than
    ``max_depth``, never ``RecursionError``. The beacon's text/plain parser uses it too."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if json_depth_exceeds(value, max_depth):
        raise ValueError("nested too deeply")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the depth limit; the only parser of ``DEFAULT_PARSER_CLASSES``."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            body = stream.read() if stream is not None else b""
            return json_loads_limited(body.decode(encoding))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
