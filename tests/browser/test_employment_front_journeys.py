"""The employment front in a real browser (issue 12, "Done when" steps 2 and 3):

2. the officer's dashboard counts change after the next roll-up, not before;
3. the ministry sends a directive, the officer reads it, and the sender sees the receipt.

The Celery worker's part (the roll-up, the delivery) runs in-process through the same task and command the
worker and beat run.
"""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from employment import services as market
from employment.front.models import Directive
from employment.front.tasks import deliver_directive_task
from employment.models import ApplicationStatus
from smartedu.accounts.models import User
from smartedu.institutions.services import affiliation_set
from tests.browser.conftest import login
from tests.factories import employment as f


def _logout(page: Page) -> None:
    page.context.clear_cookies()


def _kpi(page: Page, key: str):
    return page.locator(f'[data-kpi="{key}"] dd')


def test_the_officers_dashboard_changes_after_the_next_rollup(page, demo_accounts):
    # given: the demo officer of 中山大学, the demo graduate verified there, a verified employer's job
    officer = User.objects.get(username="officer")
    affiliation_set(user=officer, institution=f.university("中山大学"))
    graduate = User.objects.get(username="graduate")
    record = f.record(name="林小红", specialty="软件工程")
    market.graduate_verify(
        user=graduate,
        name=record.name,
        id_number=record.id_number,
        university=record.university,
        specialty=record.specialty,
        degree=record.degree,
        graduation_year=record.graduation_year,
    )
    f.graduate(name="张伟")  # a classmate who has not applied
    job = f.job(title="Java开发工程师")
    call_command("front_rollup", "--no-progress")

    login(page, "officer")
    page.goto("/employment/front/progress/")
    expect(page.locator("#rolled-up")).to_be_visible()
    expect(_kpi(page, "graduates")).to_have_text("2")
    expect(_kpi(page, "applied")).to_have_text("0")
    expect(page.locator("#np-title")).to_contain_text("2")
    expect(page.locator('[data-chart="stages"][data-rendered="true"]')).to_be_visible()

    # when: the graduate applies and the employer makes an offer
    application, _created = market.application_create(graduate=graduate, job=job)
    market.application_status_set(
        actor=application.employer.user, application=application, status=ApplicationStatus.OFFER
    )
    page.reload()
    expect(_kpi(page, "applied")).to_have_text("0")  # figures are rolled up, never computed per request

    # then: after the next roll-up the counts have moved
    call_command("front_rollup", "--no-progress")
    page.reload()
    expect(_kpi(page, "applied")).to_have_text("1")
    expect(_kpi(page, "offer")).to_have_text("1")
    expect(_kpi(page, "employed")).to_have_text("50.0%")
    expect(page.locator("#np-title")).to_contain_text("1")
    expect(page.locator("#table-stages")).to_contain_text("1")

    # and the officer marks the classmate as needing help from the list
    page.locator('section[aria-labelledby="ap-title"] input[name=note]').first.fill("家庭经济困难")
    page.locator('section[aria-labelledby="ap-title"] form button[type=submit]').first.click()
    expect(page.locator('section[aria-labelledby="hp-title"]')).to_contain_text("家庭经济困难")

    # and on a phone (390 px) the page does not scroll sideways: tables scroll inside their frames
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator('[data-chart="stages"][data-rendered="true"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_ministry_sends_a_directive_the_officer_reads_it_and_the_sender_sees_the_receipt(
    page, demo_accounts
):
    # given: the demo officer of 中山大学 and another officer of 北京大学
    officer = User.objects.get(username="officer")
    affiliation_set(user=officer, institution=f.university("中山大学"))
    f.officer("北京大学")

    # 1. the ministry sends a directive to every officer and counsellor
    login(page, "admin")
    page.goto("/employment/front/directives/")
    page.locator("#id_title").fill("关于做好毕业生就业“百日冲刺”工作的通知")
    page.locator("#id_body").fill("请各校逐一联系尚未投递简历的毕业生。")
    page.locator("input[name=audience][value=all]").check()
    page.locator("#id_urgent").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/employment/front/directives/\d+/$"))
    expect(page.locator('[data-kpi="recipients"] dd')).to_have_text("2")
    directive = Directive.objects.get()
    deliver_directive_task.apply(args=[directive.pk])  # the worker delivers it
    page.reload()
    expect(page.locator('[data-kpi="delivered"] dd')).to_have_text("2")
    expect(page.locator('[data-kpi="read"] dd')).to_have_text("0")
    _logout(page)

    # 2. the officer sees the unread count, reads it and acknowledges it
    login(page, "officer")
    page.goto("/employment/")
    expect(page.locator('[data-badge="employment.front.inbox"]')).to_contain_text("1")
    page.goto("/employment/front/inbox/")
    page.get_by_role("link", name=re.compile("百日冲刺")).click()
    expect(page.locator("main h1")).to_contain_text("百日冲刺")
    page.locator("#acknowledge").click()
    expect(page.locator("#acknowledged")).to_be_visible()
    expect(page.locator('[data-badge="employment.front.inbox"]')).to_have_count(0)
    _logout(page)

    # 3. the sender sees the receipt, and who has not read it yet
    login(page, "admin")
    page.goto(f"/employment/front/directives/{directive.pk}/")
    expect(page.locator('[data-kpi="read"] dd')).to_have_text("1")
    expect(page.locator('[data-kpi="acknowledged"] dd')).to_have_text("1")
    expect(page.locator("#recipients")).to_contain_text("北京大学")
    expect(page.locator("#recipients")).not_to_contain_text("中山大学")
    page.locator('a[href="?show=read"]').click()
    expect(page.locator("#recipients")).to_contain_text("中山大学")
