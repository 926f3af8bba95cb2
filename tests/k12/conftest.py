import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def count_queries():
    """``count_queries(fn)``: run ``fn`` and return (its result, the number of queries it ran)."""

    def run(fn):
        with CaptureQueriesContext(connection) as captured:
            result = fn()
        return result, len(captured)

    return run
