"""Playwright for Python driving Debian's /usr/bin/chromium (no browser download) against live_server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from conftest import reattach_serialized_contents

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route
    from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts at start; the machine has no network for that.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(_serialized_db_contents: dict[str, Any]) -> Iterator[Browser]:
    # Set up the test database (and keep its serialized contents) before Playwright changes the context.
    if not CHROMIUM.exists():
        message = "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("SMARTEDU_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # From here on Django hands out connection objects of Playwright's context. pytest sets this session
        # fixture up before any function fixture (the database helper too), so reattach Django's serialized
        # contents now, or committed-data tests could not restore the reference data.
        reattach_serialized_contents(_serialized_db_contents)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _indexed(search_indexed: None) -> None:
    """The journeys search what they seed, and the live server has no Celery worker to drain the queue."""


@pytest.fixture
def page(browser: Browser, committed_db: None, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser page on the live server; fails the test if a page asks any other host for anything."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    foreign: list[str] = []
    live_host = urlsplit(live_server.url).netloc

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).netloc not in (live_host, ""):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert foreign == [], f"pages requested other hosts: {foreign}"


@pytest.fixture
def demo_accounts(committed_db: None) -> None:
    from smartedu.accounts.seed import seed_accounts
    from smartedu.portal.registry import no_progress

    seed_accounts(scale="small", progress=no_progress)


def login(page: Page, username: str, password: str = "smartedu-demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()
