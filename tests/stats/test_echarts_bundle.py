"""The dashboards load a tree-shaken ECharts (smartedu/stats/frontend/echarts.mjs, built by make install)."""

from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

BUNDLE = Path(settings.BASE_DIR) / "node_modules" / ".smartedu" / "echarts" / "echarts.min.js"
LIMIT = 150 * 1024


@pytest.mark.slow
def test_the_bundle_is_what_the_dashboards_load_and_weighs_under_150_kb_as_sent():
    assert BUNDLE.exists(), "build it: make install (or make echarts)"
    assert Path(finders.find("vendor/echarts/echarts.min.js")) == BUNDLE
    content = BUNDLE.read_bytes()
    assert len(brotli.compress(content, quality=11)) <= LIMIT  # whitenoise serves the .br to browsers
    assert b"echarts" in content
