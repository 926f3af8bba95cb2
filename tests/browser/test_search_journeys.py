"""The header search box in a real browser, on the demo data: typeahead to a lesson, then a two-character
term and the "more" link into K-12's filtered lesson list (issue 8, "Done when" 1)."""

import re

from playwright.sync_api import expect

from k12.seed.seeder import seed_k12
from smartedu.portal.registry import no_progress
from smartedu.search import services


def test_a_student_finds_a_lesson_from_the_header_then_follows_more_into_k12(page):
    seed_k12(scale="small", progress=no_progress)  # the real tables of contents of the demo textbooks
    services.search_reconcile()

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
    page.locator(".search-more-link[href^='/k12/lessons/']").click()
    expect(page).to_have_url(re.compile(r"/k12/lessons/\?q=%E5%AF%86%E5%BA%A6$"))
    rows = page.locator("table.k12-lessons tbody th a")
    expect(rows.first).to_have_text("6.2 密度")  # the exact title first, then the others that hold the word
    for title in ("6.3 测量物质的密度", "6.4 密度与社会生活"):
        expect(rows.filter(has_text=title)).to_have_count(1)
    rows.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("6.2 密度")


def test_the_header_box_answers_what_was_typed_before_its_script_ran(page):
    seed_k12(scale="small", progress=no_progress)
    services.search_reconcile()
    page.route("**/search/typeahead.js", lambda route: route.abort())
    page.goto("/")
    box = page.locator("#site-search-q")
    box.fill("勾股定理")  # the deferred script has not run: nobody hears this "input" event

    page.unroute("**/search/typeahead.js")
    page.add_script_tag(url=page.locator('script[src*="search/typeahead"]').get_attribute("src"))
    expect(page.locator("#site-search-listbox [role=option]").first).to_contain_text("17.1 勾股定理")
