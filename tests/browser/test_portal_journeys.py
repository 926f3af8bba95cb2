"""Main journeys of the portal shell, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

ROLES = {
    "admin": "管理员",
    "student": "学生",
    "teacher": "教师",
    "graduate": "毕业生",
    "employer": "用人单位",
    "officer": "就业工作人员",
}


def test_home_page_shows_the_four_sub_platforms(page):
    page.goto("/")
    expect(page).to_have_title(re.compile("首页"))
    cards = page.locator(".platform-card")
    expect(cards).to_have_count(4)
    expect(cards.first.locator("h3")).to_have_text("国家中小学智慧教育平台")
    expect(page.locator('[data-platform="higher_ed"] dd').first).to_have_text("13")
    page.get_by_role("link", name="国家高等教育智慧教育平台").first.click()
    expect(page).to_have_url(re.compile("/higher-ed/$"))


def test_switching_to_english_and_back(page):
    page.goto("/k12/")
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile("/en/k12/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("K-12 Smart Education")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile("/k12/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


@pytest.mark.parametrize(("username", "role_label"), list(ROLES.items()))
def test_each_demo_role_logs_in_and_out(page, demo_accounts, username, role_label):
    login(page, username)
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="账号").get_by_role("link").first.click()
    expect(page.locator("[data-role]")).to_have_text(role_label)
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("navigation", name="账号").get_by_role("link", name="登录")).to_be_visible()


def test_wrong_password_shows_an_error_on_the_page(page, demo_accounts):
    login(page, "student", "not-the-password")
    expect(page.locator(".form-errors")).to_contain_text("用户名")


def test_registration_with_errors_then_success(page):
    page.goto("/accounts/register/")
    page.get_by_label("用户名").fill("xiaoming")
    page.get_by_label("电子邮箱").fill("xiaoming@example.org")
    page.locator("#id_password").fill("12345678")
    page.get_by_label("确认密码").fill("12345678")
    page.locator("main").get_by_role("button", name="注册").click()
    expect(page.locator(".has-error .errorlist").first).to_be_visible()
    expect(page.get_by_label("电子邮箱")).to_have_value(
        "xiaoming@example.org"
    )  # nothing the user typed is lost
    page.locator("#id_password").fill("Lantern-river-42")
    page.get_by_label("确认密码").fill("Lantern-river-42")
    page.get_by_label("毕业生").check()
    page.locator("main").get_by_role("button", name="注册").click()
    expect(page.locator("[data-role]")).to_have_text("毕业生")
