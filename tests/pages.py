"""Helpers of the page tests: a page and the number of queries it ran."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_counted(client: Any, path: str, data: Any = None) -> tuple[Any, int]:
    """``client.get(path, data)``, which must answer 200, and the number of queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data)
    assert response.status_code == 200, (path, response.status_code)
    return response, len(captured)
