"""Request bodies of the platform's API: JSON only, and a body nested too deep is a 400, never a 500.

Kept in one place so that the project's shared depth-safe parser (coming with the accounts/security work)
replaces it with a one-line change.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply.") from exc
