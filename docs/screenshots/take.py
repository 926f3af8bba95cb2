"""Take the README's screenshots: home page, a lesson and the dashboard, on a desktop and on a phone.

Against a running portal with the demo data (`make run`, or any address)::

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000

Uses Playwright with Debian's /usr/bin/chromium, like the browser tests; writes the PNGs beside this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("smartedu-demo")
    page.locator("main").get_by_role("button", name="登录").click()


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for size, viewport in SIZES.items():
            context = browser.new_context(
                viewport=viewport, locale="zh-CN", device_scale_factor=1, is_mobile=size == "phone"
            )
            page = context.new_page()
            page.goto(f"{base}/")
            page.screenshot(path=HERE / f"home-{size}.png")
            page.goto(f"{base}/k12/textbooks/?stage=junior&subject=math&edition=pep&book=7-autumn")
            page.locator(".k12-tree a[href*='/k12/lessons/']").first.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=HERE / f"lesson-{size}.png")
            login(page, base, "admin")
            page.goto(f"{base}/dashboard/")
            page.wait_for_selector("[data-rendered=true]")
            page.screenshot(path=HERE / f"dashboard-{size}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
