"""24365 employment in a real browser: a graduate verifies, registers an intention, edits the résumé,
consents, searches and applies; the employer sees the application, messages the graduate, who replies; the
employer moves it to offer and the graduate sees every step."""

import re

from playwright.sync_api import Page, expect

from employment import services
from employment.models import Application
from smartedu.accounts.models import User
from tests.browser.conftest import login
from tests.factories import employment as f


def _logout(page: Page) -> None:
    page.context.clear_cookies()


def test_graduate_applies_and_employer_answers_through_to_an_offer(page, demo_accounts):
    # given: a registry record for the demo graduate, the demo employer verified with two jobs
    record = f.record(name="林小红", specialty="软件工程")
    employer_user = User.objects.get(username="employer")
    org = services.employer_register(
        user=employer_user,
        name="深圳示例科技有限公司",
        credit_code="914403001922038216",
        industry=f.Industry.objects.get(code="I"),
        province=f.Province.objects.get(code="44"),
        size="medium",
        type="private",
        licence=f.licence(),
        city="深圳",
    )
    services.employer_review(employer=org, actor=User.objects.get(username="admin"), decision="verified")
    wanted = f.job(employer_user, title="Java开发工程师", city="深圳")
    f.job(employer_user, title="会计", industry="J", city="广州")

    # 1. the graduate verifies
    login(page, "graduate")
    page.goto("/employment/me/verify/")
    page.locator("#id_name").fill("林小红")
    page.locator("#id_id_number").fill(record.id_number)
    page.locator("#id_university").select_option(label="中山大学")
    page.locator("#id_specialty").fill("软件工程")
    page.locator("#id_degree").select_option("bachelor")
    page.locator("#id_graduation_year").fill("2023")  # wrong: the field is named, the value is not shown
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".has-error")).to_have_count(1)
    expect(page.locator(".has-error")).not_to_contain_text("2022")
    page.locator("#id_graduation_year").fill("2022")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/employment/me/$"))
    expect(page.locator("#verified-badge")).to_be_visible()

    # registers an intention
    page.goto("/employment/me/intention/")
    industry_pk = f.Industry.objects.get(code="I").pk
    page.locator(f"input[name=industries][value='{industry_pk}']").check()
    page.locator("#id_cities").fill("深圳")
    page.locator("#id_positions").fill("Java开发")
    page.locator("#id_salary_min").fill("8000")
    page.locator("#id_salary_max").fill("20000")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/employment/me/$"))
    expect(page.locator("#rec-title + ul")).to_contain_text("Java开发工程师")

    # edits the résumé section by section and consents
    page.goto("/employment/me/resume/")
    basics = page.locator("#basics form")
    basics.locator("#id_headline").fill("软件工程应届毕业生")
    basics.locator("#id_phone").fill("13812345678")
    basics.locator("#id_skills").fill("Java、Spring、MySQL")
    basics.locator("button[type=submit]").click()
    expect(page.locator("#preview")).to_contain_text("软件工程应届毕业生")
    entries = page.locator("#entries form")
    entries.locator("#id_section").select_option("internship")
    entries.locator("#id_title").fill("后端开发实习生")
    entries.locator("#id_organisation").fill("广州某科技公司")
    entries.locator("button[type=submit]").click()
    expect(page.locator("#preview")).to_contain_text("后端开发实习生")
    page.locator("#consent form button[type=submit]").click()
    expect(page.locator("#consent")).to_contain_text(re.compile("talent search|人才搜索"))

    # searches and applies
    page.goto("/employment/jobs/")
    page.locator("#f-q").fill("Java")
    page.locator("#f-province").select_option("44")
    page.locator("main form.em-filters button[type=submit]").click()
    expect(page.locator(".em-job")).to_have_count(1)
    page.locator(".em-job a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Java开发工程师")
    page.locator("form.em-apply button").click()
    application = Application.objects.get(job=wanted)
    expect(page).to_have_url(re.compile(rf"/employment/applications/{application.pk}/$"))
    expect(page.locator("#application-status")).to_have_text(re.compile("Submitted|已投递"))

    # 2. the employer sees it in the inbox and messages the graduate
    _logout(page)
    login(page, "employer")
    page.goto("/employment/recruit/")
    page.locator("#inbox-link").click()
    row = page.locator(f'tr[data-application="{application.pk}"]')
    expect(row).to_contain_text("Java开发工程师")
    row.locator("a").click()
    expect(page.locator(".phone")).to_have_text("13812345678")  # the graduate applied: not masked
    page.locator("#thread #id_body").fill("您好，请问周三下午方便面试吗？")
    page.locator("#thread button[type=submit]").click()
    expect(page.locator(".em-thread")).to_contain_text("周三下午")

    # the graduate replies
    _logout(page)
    login(page, "graduate")
    page.goto("/employment/me/")
    expect(page.locator(f'tr[data-application="{application.pk}"] .em-badge')).to_have_text("1")  # unread
    page.locator(f'tr[data-application="{application.pk}"] a').click()
    expect(page.locator(".em-thread")).to_contain_text("周三下午")
    page.locator("#thread #id_body").fill("可以的，谢谢！")
    page.locator("#thread button[type=submit]").click()
    expect(page.locator(".em-thread li.mine")).to_contain_text("可以的")

    # 3. the employer moves it to interview, then offer
    _logout(page)
    login(page, "employer")
    page.goto(f"/employment/applications/{application.pk}/")
    expect(page.locator(".em-thread")).to_contain_text("可以的")
    for status in ("interview", "offer"):
        page.locator("#new-status").select_option(status)
        page.locator("form.em-status button").click()
    expect(page.locator("#application-status")).to_have_text(re.compile("Offer|录用"))

    # the graduate sees every step
    _logout(page)
    login(page, "graduate")
    page.goto(f"/employment/applications/{application.pk}/")
    expect(page.locator("#history li")).to_have_count(4)  # submitted, viewed, interview, offer
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#history")).to_be_visible()
