"""Issue 7.14 in a real browser: pages and the Swagger UI work under the Content-Security-Policy, and the
browser reports no violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login


@pytest.fixture
def violations(page):
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_the_swagger_ui_renders_the_api_under_the_policy(page, violations):
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/auth/token/", exact=True).first).to_be_visible()
    assert violations == []


@pytest.mark.parametrize("path", ["/", "/k12/", "/accounts/register/", "/admin/login/"])
def test_pages_raise_no_violation(page, violations, path):
    page.goto(path)
    expect(page.locator("body")).to_be_visible()
    assert violations == []


def test_the_dashboard_charts_draw_under_the_policy(page, violations, demo_accounts):
    login(page, "admin")
    page.goto("/dashboard/")
    expect(page.locator('[data-chart][data-rendered="true"] svg').first).to_be_visible()
    assert violations == []
