"""The header search box in a real browser: typeahead to a lesson, then a short term to K-12's list."""

import re

from playwright.sync_api import expect

from tests.search.toc import build_toc_content


def test_a_student_finds_a_lesson_from_the_header_then_follows_more_into_k12(page):
    build_toc_content()  # real tables of contents, indexed as they are written

    page.goto("/")
    box = page.locator("#site-search-q")
    box.press_sequentially("勾股定理", delay=30)
    options = page.locator("#site-search-listbox [role=option]")
    expect(options.first).to_be_visible()
    assert options.count() <= 10
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-q-option-0")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/k12/lessons/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("17.1 勾股定理")

    box = page.locator("#site-search-q")
    box.fill("密度")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator(".search-group h2")).to_contain_text("国家中小学智慧教育平台")
    expect(page.locator("mark").first).to_have_text("密度")
    page.locator(".search-more-link[href^='/k12/etextbooks/']").click()
    expect(page).to_have_url(re.compile(r"/k12/etextbooks/\?q="))
    expect(page.get_by_text("物理 八年级上册（人教版）")).to_be_visible()
