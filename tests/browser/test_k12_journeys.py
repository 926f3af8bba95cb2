"""A student's way through the K-12 textbook tree to a lesson's exercises, in a real browser."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories.k12 import lesson_with_exercises


def test_student_browses_the_textbook_tree_and_submits_the_exercises(page, demo_accounts):
    lesson, (choice, judge, blank) = lesson_with_exercises(title="第1课 认识数字")
    book = lesson.textbook
    login(page, "student")

    page.goto("/k12/")
    page.locator('[data-section="course-teaching"]').get_by_role("link", name="小学").click()
    expect(page).to_have_url(re.compile(r"/k12/textbooks/\?stage=primary$"))
    page.get_by_role("link", name="数学", exact=True).click()
    page.get_by_role("link", name=book.edition.name, exact=True).click()
    page.locator(f'a[href$="&textbook={book.pk}"]').click()
    page.get_by_role("link", name=lesson.unit.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"unit={lesson.unit_id}$"))  # the whole choice is in the address
    page.get_by_role("link", name="第1课 认识数字").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("第1课 认识数字")
    page.locator(f'input[name="q{choice.pk}"][value="B"]').check()
    page.locator(f'input[name="q{judge.pk}"][value="false"]').check()  # wrong on purpose
    page.locator(f'input[name="q{blank.pk}"]').fill("七")
    page.locator("form.k12-exercises button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/k12/submissions/\d+/(#exercises)?$"))
    expect(page.locator(".k12-score")).to_contain_text("67")
    expect(page.locator("tr.k12-wrong")).to_have_count(1)
    expect(page.locator("tr.k12-right")).to_have_count(2)
